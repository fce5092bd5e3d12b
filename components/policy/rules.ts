// The checks behind the policies, over a resource's type token and input properties, as the engine
// hands them to a policy pack (and as `pulumi preview --json` records them). Pure: tested with
// recorded inputs, no engine. The AWS tables are the components' own (components/aws-rules.ts), so
// a stack built with the components and a hand-made one are held to the same truth.
import { engineVersionProblem, instanceClassProblem } from "../aws-rules.ts";
import { MIN_PRODUCTION_BACKUP_DAYS } from "../guardrails.ts";

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

type Props = Readonly<Record<string, unknown>>;

const isPostgres = (engine: unknown) => engine === "postgres";
const isAuroraPostgres = (engine: unknown) => engine === "aurora-postgresql";

function tier(props: Props): string | undefined {
  const tags = props.tags as Record<string, unknown> | undefined;
  return typeof tags?.["parity:tier"] === "string" ? tags["parity:tier"] : undefined;
}

/** A database created from production's data: a snapshot restore or a point-in-time restore/clone. */
function isCopy(props: Props): boolean {
  return (
    typeof props.snapshotIdentifier === "string" ||
    props.restoreToPointInTime !== undefined ||
    (tier(props) !== undefined && tier(props) !== "production")
  );
}

/** Instance classes the engine offers (per kind), for instances and Aurora cluster instances. */
export function instanceClassViolations(type: string, props: Props): string[] {
  const instanceClass = props.instanceClass;
  if (typeof instanceClass !== "string") return [];
  if (type === RDS_INSTANCE && isPostgres(props.engine)) {
    const problem = instanceClassProblem("instance", instanceClass, "instanceClass");
    return problem ? [problem] : [];
  }
  if (type === RDS_CLUSTER_INSTANCE && isAuroraPostgres(props.engine)) {
    const problem = instanceClassProblem("cluster", instanceClass, "instanceClass");
    return problem ? [problem] : [];
  }
  return [];
}

/**
 * RestoreDBClusterToPointInTime: exactly one of restoreToTime / useLatestRestorableTime, and no
 * restoreToTime with copy-on-write (RDS API reference; components/aws-rules.ts auroraRestore).
 */
export function restoreModeViolations(type: string, props: Props): string[] {
  if (type !== RDS_CLUSTER) return [];
  const restore = props.restoreToPointInTime as Record<string, unknown> | undefined;
  if (restore === undefined) return [];
  const time = restore.restoreToTime;
  const latest = restore.useLatestRestorableTime === true;
  const violations: string[] = [];
  if (time !== undefined && latest) {
    violations.push("restoreToPointInTime: restoreToTime and useLatestRestorableTime exclude each other");
  }
  if (time === undefined && !latest) {
    violations.push("restoreToPointInTime: give restoreToTime or useLatestRestorableTime: true");
  }
  if (time !== undefined && restore.restoreType === "copy-on-write") {
    violations.push(
      'restoreToPointInTime: RDS refuses restoreToTime with restoreType "copy-on-write"; use "full-copy" for a point in time',
    );
  }
  return violations;
}

/** Pinned major.minor, no silent minor upgrades, encrypted storage. */
export function pinningViolations(type: string, props: Props): string[] {
  const violations: string[] = [];
  const kind =
    type === RDS_INSTANCE && isPostgres(props.engine)
      ? "instance"
      : (type === RDS_CLUSTER || type === RDS_CLUSTER_INSTANCE) && isAuroraPostgres(props.engine)
        ? "cluster"
        : undefined;
  if (kind === undefined) return [];
  if (type !== RDS_CLUSTER_INSTANCE) {
    const version = typeof props.engineVersion === "string" ? props.engineVersion : "";
    const problem = engineVersionProblem(kind, version);
    if (problem) violations.push(problem.replace("database.engineVersion", "engineVersion"));
    if (props.storageEncrypted !== true) violations.push("storageEncrypted must be true");
  }
  if (type !== RDS_CLUSTER && props.autoMinorVersionUpgrade !== false) {
    violations.push("autoMinorVersionUpgrade must be false, so only the program moves the engine version");
  }
  if (type === RDS_CLUSTER_INSTANCE && typeof props.dbParameterGroupName !== "string") {
    violations.push(
      "dbParameterGroupName is not set: the instance would run on AWS's default parameter group",
    );
  }
  return violations;
}

/** A copy of production's data is never public; production keeps its protections. */
export function exposureViolations(type: string, props: Props): string[] {
  if (![RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE].includes(type)) return [];
  const violations: string[] = [];
  if (props.publiclyAccessible === true && (isCopy(props) || type === RDS_CLUSTER_INSTANCE)) {
    violations.push("publiclyAccessible must be false: a copy of production's data is never public");
  }
  if (tier(props) === "production" && type !== RDS_CLUSTER_INSTANCE) {
    if (props.deletionProtection !== true) violations.push("production: deletionProtection must be true");
    if (props.skipFinalSnapshot === true) violations.push("production: skipFinalSnapshot must be false");
    const days = props.backupRetentionPeriod;
    if (typeof days !== "number" || days < MIN_PRODUCTION_BACKUP_DAYS) {
      violations.push(
        `production: backupRetentionPeriod must be at least ${MIN_PRODUCTION_BACKUP_DAYS} days`,
      );
    }
  }
  return violations;
}
