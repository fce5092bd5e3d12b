// One PostgreSQL database for one tier: an RDS instance or an Aurora cluster, created empty
// (production) or from production's data (a snapshot restore or a copy-on-write clone).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseKind, EngineSpec } from "./app.ts";
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
  /** Aurora cluster cloned copy-on-write from production's cluster, at its latest restorable time unless given. */
  | { readonly from: "clone"; readonly productionIdentifier: string; readonly restoreToTime?: string };

export interface DatabaseArgs {
  readonly kind: DatabaseKind;
  /** RDS identifier of the instance or cluster (cluster instances get `-1`, `-2`, … appended). */
  readonly identifier: string;
  readonly engine: EngineSpec;
  readonly settings: TierSettings;
  readonly parameterGroupName: pulumi.Input<string>;
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
      throw new Error(
        `Database "${name}": snapshot restores are for RDS instances; Aurora clusters are cloned`,
      );
    }
    if (args.source?.from === "clone" && args.kind !== "cluster") {
      throw new Error(
        `Database "${name}": copy-on-write clones are for Aurora clusters; instances restore a snapshot`,
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
            : aws.rds
                .getSnapshotOutput(
                  {
                    dbInstanceIdentifier: source.productionIdentifier,
                    mostRecent: true,
                    snapshotType: source.snapshotType,
                  },
                  { parent: this },
                )
                .apply((snapshot) => snapshot.dbSnapshotIdentifier);
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
      const cluster = new aws.rds.Cluster(
        `${name}-cluster`,
        {
          ...common,
          clusterIdentifier: args.identifier,
          dbClusterParameterGroupName: args.parameterGroupName,
          allowMajorVersionUpgrade: false,
          restoreToPointInTime:
            source === undefined
              ? undefined
              : {
                  sourceClusterIdentifier: source.productionIdentifier,
                  restoreType: "copy-on-write",
                  useLatestRestorableTime: source.restoreToTime === undefined,
                  restoreToTime: source.restoreToTime,
                },
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
