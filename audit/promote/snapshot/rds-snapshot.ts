// The pre-promotion snapshot of an RDS target and undo --restore from it, through the real SDK:
// CreateDBSnapshot / CreateDBClusterSnapshot tagged parity:promotion-id, polled with
// DescribeDBSnapshots / DescribeDBClusterSnapshots until `available` (bounded, abortable), and
// RestoreDBInstanceFromDBSnapshot / RestoreDBClusterFromSnapshot to a NEW identifier, never touching
// the original. Throttling and transient errors are retried by the SDK's strategy (audit/aws/retry.ts).
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from "@aws-sdk/client-rds";
import { type AwsClientOptions, createRdsClient, describeAwsError } from "../../aws/index.ts";
import type { RdsSpec } from "../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import type { PromotionSnapshot } from "../record/record-file.ts";
import { rdsSnapshotIdentifier, restoredIdentifier } from "./names.ts";

export const PROMOTION_TAG = "parity:promotion-id";

export interface RdsSnapshotOptions {
  aws?: AwsClientOptions;
  /** Between two Describe calls. Default 15 s (RDS snapshots take minutes). */
  pollMs?: number;
  /** Give up waiting for `available` after this long. Default 1 hour. */
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

type Target = { kind: "instance" | "cluster"; identifier: string };

export function rdsTarget(spec: RdsSpec, environment: string): Target {
  if (spec.instance && spec.cluster) {
    throw new ParityInputError(`environments.${environment}.rds: give instance or cluster, not both`);
  }
  if (spec.instance) return { kind: "instance", identifier: spec.instance };
  if (spec.cluster) return { kind: "cluster", identifier: spec.cluster };
  throw new ParityInputError(`environments.${environment}.rds: names neither instance nor cluster`);
}

function client(spec: RdsSpec, options: RdsSnapshotOptions): RDSClient {
  return createRdsClient({
    ...options.aws,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
  });
}

async function withRds<T>(
  spec: RdsSpec,
  environment: string,
  what: string,
  options: RdsSnapshotOptions,
  work: (rds: RDSClient, target: Target) => Promise<T>,
): Promise<T> {
  const target = rdsTarget(spec, environment);
  const rds = client(spec, options);
  try {
    return await work(rds, target);
  } catch (error) {
    if (error instanceof ParityInputError || error instanceof EnvironmentReadError) throw error;
    if (error instanceof SnapshotWaitError) throw error;
    throw new EnvironmentReadError(
      environment,
      `${what} of RDS ${target.kind} ${target.identifier}`,
      describeAwsError(error),
      {
        cause: error,
      },
    );
  } finally {
    rds.destroy();
  }
}

/** The instance's or cluster's ARN (DescribeDBInstances / DescribeDBClusters), for the record. */
export async function readRdsArn(
  spec: RdsSpec,
  environment: string,
  options: RdsSnapshotOptions = {},
): Promise<string | undefined> {
  return withRds(spec, environment, "the ARN", options, async (rds, target) => {
    if (target.kind === "instance") {
      const out = await rds.send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.identifier }),
        {
          ...(options.signal ? { abortSignal: options.signal } : {}),
        },
      );
      return out.DBInstances?.[0]?.DBInstanceArn;
    }
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: target.identifier }), {
      ...(options.signal ? { abortSignal: options.signal } : {}),
    });
    return out.DBClusters?.[0]?.DBClusterArn;
  });
}

/** Waiting for `available` ended otherwise: the snapshot failed, the wait timed out or was cancelled. */
export class SnapshotWaitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotWaitError";
  }
}

/** Creates the snapshot, tagged with the promotion id, and waits until it is `available`. */
export async function createRdsSnapshot(
  spec: RdsSpec,
  environment: string,
  promotionId: string,
  options: RdsSnapshotOptions = {},
): Promise<PromotionSnapshot> {
  const now = options.now ?? (() => new Date());
  const abort = options.signal ? { abortSignal: options.signal } : {};
  const Tags = [{ Key: PROMOTION_TAG, Value: promotionId }];
  return withRds(spec, environment, "the pre-promotion snapshot", options, async (rds, target) => {
    if (target.kind === "instance") {
      const id = rdsSnapshotIdentifier(promotionId, "dbSnapshot");
      const created = await rds.send(
        new CreateDBSnapshotCommand({
          DBSnapshotIdentifier: id,
          DBInstanceIdentifier: target.identifier,
          Tags,
        }),
        abort,
      );
      const arn = await waitAvailable(options, `DB snapshot ${id}`, created.DBSnapshot?.Status, async () => {
        const out = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }), abort);
        const snapshot = out.DBSnapshots?.[0];
        return { status: snapshot?.Status, arn: snapshot?.DBSnapshotArn };
      });
      return { kind: "rds-db-snapshot", id, ...(arn ? { arn } : {}), createdAt: now().toISOString() };
    }
    const id = rdsSnapshotIdentifier(promotionId, "clusterSnapshot");
    const created = await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterSnapshotIdentifier: id,
        DBClusterIdentifier: target.identifier,
        Tags,
      }),
      abort,
    );
    const arn = await waitAvailable(
      options,
      `DB cluster snapshot ${id}`,
      created.DBClusterSnapshot?.Status,
      async () => {
        const out = await rds.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }),
          abort,
        );
        const snapshot = out.DBClusterSnapshots?.[0];
        return { status: snapshot?.Status, arn: snapshot?.DBClusterSnapshotArn };
      },
    );
    return { kind: "rds-cluster-snapshot", id, ...(arn ? { arn } : {}), createdAt: now().toISOString() };
  });
}

async function waitAvailable(
  options: RdsSnapshotOptions,
  what: string,
  initial: string | undefined,
  describe: () => Promise<{ status: string | undefined; arn: string | undefined }>,
): Promise<string | undefined> {
  const pollMs = options.pollMs ?? 15_000;
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  let status = initial;
  for (;;) {
    if (options.signal?.aborted)
      throw new SnapshotWaitError(`${what}: cancelled while ${status ?? "creating"}`);
    const current = await describe();
    status = current.status;
    if (status === "available") return current.arn;
    if (status === "failed" || status === "error" || status === "incompatible-restore") {
      throw new SnapshotWaitError(`${what} is ${status}: RDS could not take it`);
    }
    if (Date.now() + pollMs > deadline) {
      throw new SnapshotWaitError(
        `${what} still ${status ?? "unknown"} after ${Math.round((options.timeoutMs ?? 3_600_000) / 1000)} s; gave up waiting`,
      );
    }
    await sleep(pollMs, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export interface RdsRestore {
  kind: "instance" | "cluster";
  /** The new instance or cluster: the original is never touched. */
  identifier: string;
  original: string;
  arn?: string;
  /** What a person does next, step by step. */
  instructions: string[];
}

/** Restores the snapshot to a new identifier, with the network settings of the original. */
export async function restoreRdsSnapshot(
  spec: RdsSpec,
  environment: string,
  snapshot: PromotionSnapshot,
  undoId: string,
  options: RdsSnapshotOptions = {},
): Promise<RdsRestore> {
  const abort = options.signal ? { abortSignal: options.signal } : {};
  const Tags = [{ Key: "parity:undo-id", Value: undoId }];
  return withRds(spec, environment, "the restore", options, async (rds, target) => {
    if (target.kind === "instance") {
      if (snapshot.kind !== "rds-db-snapshot")
        throw new ParityInputError(
          `snapshot ${snapshot.id} is a ${snapshot.kind}, the target an RDS instance`,
        );
      const original = (
        await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.identifier }), abort)
      ).DBInstances?.[0];
      const identifier = restoredIdentifier(target.identifier, undoId, "instance");
      const securityGroups = (original?.VpcSecurityGroups ?? []).flatMap((group) =>
        group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [],
      );
      const out = await rds.send(
        new RestoreDBInstanceFromDBSnapshotCommand({
          DBInstanceIdentifier: identifier,
          DBSnapshotIdentifier: snapshot.id,
          ...(original?.DBInstanceClass ? { DBInstanceClass: original.DBInstanceClass } : {}),
          ...(original?.DBSubnetGroup?.DBSubnetGroupName
            ? { DBSubnetGroupName: original.DBSubnetGroup.DBSubnetGroupName }
            : {}),
          ...(securityGroups.length > 0 ? { VpcSecurityGroupIds: securityGroups } : {}),
          ...(original?.DBParameterGroups?.[0]?.DBParameterGroupName
            ? { DBParameterGroupName: original.DBParameterGroups[0].DBParameterGroupName }
            : {}),
          Tags,
        }),
        abort,
      );
      const arn = out.DBInstance?.DBInstanceArn;
      return {
        kind: "instance",
        identifier,
        original: target.identifier,
        ...(arn ? { arn } : {}),
        instructions: switchOver("instance", target.identifier, identifier, snapshot.id),
      };
    }
    if (snapshot.kind !== "rds-cluster-snapshot")
      throw new ParityInputError(`snapshot ${snapshot.id} is a ${snapshot.kind}, the target an RDS cluster`);
    const original = (
      await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: target.identifier }), abort)
    ).DBClusters?.[0];
    if (!original?.Engine)
      throw new EnvironmentReadError(
        environment,
        `RDS cluster ${target.identifier}`,
        "DescribeDBClusters gave no Engine",
      );
    const identifier = restoredIdentifier(target.identifier, undoId, "cluster");
    const securityGroups = (original.VpcSecurityGroups ?? []).flatMap((group) =>
      group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [],
    );
    const out = await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: identifier,
        SnapshotIdentifier: snapshot.id,
        // Required by RestoreDBClusterFromSnapshot (the API reference: "Engine ... Required").
        Engine: original.Engine,
        ...(original.EngineVersion ? { EngineVersion: original.EngineVersion } : {}),
        ...(original.DBSubnetGroup ? { DBSubnetGroupName: original.DBSubnetGroup } : {}),
        ...(securityGroups.length > 0 ? { VpcSecurityGroupIds: securityGroups } : {}),
        ...(original.DBClusterParameterGroup
          ? { DBClusterParameterGroupName: original.DBClusterParameterGroup }
          : {}),
        Tags,
      }),
      abort,
    );
    const arn = out.DBCluster?.DBClusterArn;
    return {
      kind: "cluster",
      identifier,
      original: target.identifier,
      ...(arn ? { arn } : {}),
      instructions: switchOver("cluster", target.identifier, identifier, snapshot.id),
    };
  });
}

function switchOver(
  kind: "instance" | "cluster",
  original: string,
  restored: string,
  snapshot: string,
): string[] {
  const wait =
    kind === "instance"
      ? `aws rds wait db-instance-available --db-instance-identifier ${restored}`
      : `aws rds wait db-cluster-available --db-cluster-identifier ${restored}`;
  return [
    `RDS is creating ${kind} ${restored} from snapshot ${snapshot}; ${original} is untouched and still serving.`,
    `1. Wait until it is available: ${wait}`,
    ...(kind === "cluster"
      ? [
          `2. A restored Aurora cluster has no instances: add a writer with aws rds create-db-instance --db-cluster-identifier ${restored} --db-instance-identifier ${restored}-1 --db-instance-class <the original writer's class> --engine <the cluster's engine>`,
        ]
      : [
          "2. Check its parameter group, security groups and subnet group match the original's (parity copied them where RDS reported them).",
        ]),
    `3. Stop writes to ${original} (scale the application to zero or put it in maintenance mode), so nothing written after the snapshot is lost unnoticed.`,
    `4. Point the application at ${restored}'s endpoint (or rename: ${original} to ${original}-old, then ${restored} to ${original}, with aws rds modify-db-${kind === "instance" ? "instance" : "cluster"} --new-db-${kind === "instance" ? "instance" : "cluster"}-identifier … --apply-immediately).`,
    `5. Keep ${original} until you are sure; parity never deletes it.`,
  ];
}
