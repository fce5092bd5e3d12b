// One PostgreSQL database for one tier: an RDS instance or an Aurora cluster, created empty
// (production) or from production's data (a snapshot restore or a copy-on-write clone).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ParityInputError } from "../audit/core/errors.ts";
import type { DatabaseKind, EngineSpec } from "./app.ts";
import { auroraRestore } from "./aws-rules.ts";
import { restoreIgnoreChanges } from "./replacement.ts";
import type { TierSettings } from "./tiers.ts";

export type DatabaseSource =
  /** RDS instance restored from a production snapshot: the one named, or the most recent one found by lookup. */
  | {
      readonly from: "snapshot";
      readonly productionIdentifier: string;
      readonly snapshotIdentifier?: string;
      /** Restrict the lookup to automated or manual snapshots; both when omitted. */
      readonly snapshotType?: "automated" | "manual";
    }
  /** Aurora cluster cloned from production's: copy-on-write at its latest restorable time, or a full copy at `restoreToTime`. */
  | { readonly from: "clone"; readonly productionIdentifier: string; readonly restoreToTime?: string };

export interface DatabaseArgs {
  readonly kind: DatabaseKind;
  /** RDS identifier of the instance or cluster (cluster instances get `-1`, `-2`, … appended). */
  readonly identifier: string;
  readonly engine: EngineSpec;
  readonly settings: TierSettings;
  /** RDS instance: its DB parameter group. Aurora: the cluster's DB cluster parameter group. */
  readonly parameterGroupName: pulumi.Input<string>;
  /** Aurora only: the DB parameter group of every cluster instance (else AWS's default group). */
  readonly instanceParameterGroupName?: pulumi.Input<string>;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly masterPassword: pulumi.Input<string>;
  /** RDS instance only, GiB. */
  readonly allocatedStorage?: number;
  readonly kmsKeyId?: string;
  /** Omitted: a fresh, empty database (production). */
  readonly source?: DatabaseSource;
  readonly subnetGroupName?: pulumi.Input<string>;
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  readonly tags: Readonly<Record<string, string>>;
}

export class Database extends pulumi.ComponentResource {
  readonly identifier: pulumi.Output<string>;
  readonly kind: DatabaseKind;
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** The version AWS actually runs, which is what the audit compares. */
  readonly engineVersionActual: pulumi.Output<string>;
  /** The physical database's resource id (`db-…`, `cluster-…`): new whenever the database is replaced. */
  readonly resourceId: pulumi.Output<string>;
  /** The snapshot a restored instance came from (undefined for fresh databases and clones). */
  readonly restoredFrom: pulumi.Output<string | undefined>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("parity:database:Database", name, {}, opts);
    if (args.source?.from === "snapshot" && args.kind !== "instance") {
      throw new ParityInputError(
        `Database "${name}": source.from "snapshot" is for RDS instances; Aurora clusters are cloned`,
      );
    }
    if (args.source?.from === "clone" && args.kind !== "cluster") {
      throw new ParityInputError(
        `Database "${name}": source.from "clone" is for Aurora clusters; instances restore a snapshot`,
      );
    }
    const settings = args.settings;
    const common = {
      engine: args.engine.engine,
      engineVersion: args.engine.version,
      backupRetentionPeriod: settings.backupRetentionDays,
      deletionProtection: settings.deletionProtection,
      skipFinalSnapshot: settings.skipFinalSnapshot,
      // Named after the database it protects, so it is found next to it.
      finalSnapshotIdentifier: settings.skipFinalSnapshot ? undefined : `${args.identifier}-final`,
      storageEncrypted: true,
      kmsKeyId: args.kmsKeyId,
      copyTagsToSnapshot: true,
      applyImmediately: settings.applyImmediately,
      dbSubnetGroupName: args.subnetGroupName,
      vpcSecurityGroupIds: args.securityGroupIds,
      tags: { ...args.tags },
    };
    // A clone keeps production's database name and user; only its password is its own.
    const fresh = args.source === undefined;
    const cloneGuards: pulumi.CustomResourceOptions = fresh
      ? // Production: `pulumi destroy` must not even try (deletion protection is the second lock).
        { parent: this, protect: settings.deletionProtection }
      : { parent: this, ignoreChanges: restoreIgnoreChanges(args.kind) };

    this.kind = args.kind;
    if (args.kind === "instance") {
      const source = args.source?.from === "snapshot" ? args.source : undefined;
      const snapshotIdentifier =
        source === undefined
          ? undefined
          : source.snapshotIdentifier !== undefined
            ? pulumi.output(source.snapshotIdentifier)
            : pulumi.output(latestSnapshotId(source, this));
      const instance = new aws.rds.Instance(
        `${name}-instance`,
        {
          ...common,
          identifier: args.identifier,
          instanceClass: settings.instanceClass,
          multiAz: settings.multiAz,
          allocatedStorage: args.allocatedStorage,
          parameterGroupName: args.parameterGroupName,
          autoMinorVersionUpgrade: false,
          allowMajorVersionUpgrade: false,
          publiclyAccessible: settings.publiclyAccessible,
          performanceInsightsEnabled: settings.performanceInsights,
          snapshotIdentifier,
          dbName: fresh ? args.databaseName : undefined,
          username: fresh ? args.masterUsername : undefined,
          password: pulumi.secret(args.masterPassword),
        },
        cloneGuards,
      );
      this.identifier = instance.identifier;
      this.host = instance.address;
      this.port = instance.port;
      this.engineVersionActual = instance.engineVersionActual;
      this.resourceId = instance.resourceId;
      this.restoredFrom = snapshotIdentifier ?? pulumi.output(undefined);
    } else {
      const source = args.source?.from === "clone" ? args.source : undefined;
      // Exactly one of useLatestRestorableTime / restoreToTime, and copy-on-write only without a time.
      const restore =
        source === undefined ? undefined : auroraRestore(source.productionIdentifier, source.restoreToTime);
      const cluster = new aws.rds.Cluster(
        `${name}-cluster`,
        {
          ...common,
          clusterIdentifier: args.identifier,
          dbClusterParameterGroupName: args.parameterGroupName,
          allowMajorVersionUpgrade: false,
          restoreToPointInTime: restore === undefined ? undefined : { ...restore },
          databaseName: fresh ? args.databaseName : undefined,
          masterUsername: fresh ? args.masterUsername : undefined,
          masterPassword: pulumi.secret(args.masterPassword),
        },
        cloneGuards,
      );
      for (let index = 1; index <= settings.clusterInstanceCount; index++) {
        new aws.rds.ClusterInstance(
          `${name}-instance-${index}`,
          {
            identifier: `${args.identifier}-${index}`,
            clusterIdentifier: cluster.id,
            engine: args.engine.engine,
            engineVersion: args.engine.version,
            instanceClass: settings.instanceClass,
            dbParameterGroupName: args.instanceParameterGroupName,
            autoMinorVersionUpgrade: false,
            publiclyAccessible: settings.publiclyAccessible,
            performanceInsightsEnabled: settings.performanceInsights,
            applyImmediately: settings.applyImmediately,
            dbSubnetGroupName: args.subnetGroupName,
            copyTagsToSnapshot: true,
            tags: { ...args.tags },
          },
          { parent: this, protect: fresh && settings.deletionProtection },
        );
      }
      this.identifier = cluster.clusterIdentifier;
      this.host = cluster.endpoint;
      this.port = cluster.port;
      this.engineVersionActual = cluster.engineVersionActual;
      this.resourceId = cluster.clusterResourceId;
      this.restoredFrom = pulumi.output(undefined);
    }
    this.registerOutputs({
      identifier: this.identifier,
      host: this.host,
      port: this.port,
      engineVersionActual: this.engineVersionActual,
      resourceId: this.resourceId,
    });
  }
}

/**
 * The most recent production snapshot. The lookup's `id` is the snapshot identifier
 * (aws.rds.getSnapshot's `dbSnapshotIdentifier` is the optional filter argument, echoed back, so
 * it is undefined in a mostRecent lookup). While production has no snapshot yet the provider
 * answers "no results": that becomes an error saying what to do, not a provider trace.
 */
export function latestSnapshotId(
  source: { productionIdentifier: string; snapshotType?: "automated" | "manual" },
  parent?: pulumi.Resource,
): Promise<string> {
  return aws.rds
    .getSnapshot(
      {
        dbInstanceIdentifier: source.productionIdentifier,
        mostRecent: true,
        ...(source.snapshotType === undefined ? {} : { snapshotType: source.snapshotType }),
      },
      parent === undefined ? undefined : { parent },
    )
    .then(
      (snapshot) => snapshot.id,
      (error: unknown) => {
        const reason = error instanceof Error && error.message !== "" ? ` (${error.message})` : "";
        throw new ParityInputError(
          `no ${source.snapshotType ?? "automated or manual"} snapshot of ${source.productionIdentifier} to restore yet${reason}; take one (aws rds create-db-snapshot --db-instance-identifier ${source.productionIdentifier} ...) or set parity:snapshotIdentifier`,
        );
      },
    );
}
