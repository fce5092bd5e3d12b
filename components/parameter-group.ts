// The parameter group every tier gets with the same values: an instance parameter group for RDS
// for PostgreSQL; for Aurora a DB cluster parameter group with the values plus a DB parameter group
// of the same family for the cluster instances. Without the latter, ModifyDBInstance/CreateDBInstance
// put every cluster instance on `default.aurora-postgresqlNN` (RDS API reference, CreateDBInstance
// DBParameterGroupName: "If you don't specify a value, then the default DB parameter group for the
// specified DB engine and version is used"), which parity cannot change per app or tier later without
// a reboot of every instance. The values stay in the cluster group, which applies to every instance.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseKind } from "./app.ts";

/** Parameters PostgreSQL only reads at start: RDS refuses to apply them "immediate". */
const STATIC_PARAMETERS: ReadonlySet<string> = new Set([
  "shared_preload_libraries",
  "max_connections",
  "max_worker_processes",
  "max_wal_senders",
  "wal_level",
  "rds.logical_replication",
  "track_activity_query_size",
]);

export function applyMethod(parameter: string): "immediate" | "pending-reboot" {
  return STATIC_PARAMETERS.has(parameter) ? "pending-reboot" : "immediate";
}

export interface ParameterGroupArgs {
  readonly kind: DatabaseKind;
  /** Parameter group name (lowercase letters, digits, hyphens). */
  readonly groupName: string;
  /** `postgres15`, `aurora-postgresql15`. */
  readonly family: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

export class ParameterGroup extends pulumi.ComponentResource {
  /** The group's name, as the database references it and the audit reads it. */
  readonly groupName: pulumi.Output<string>;
  /** Aurora only: the DB parameter group of the cluster instances (`<groupName>-instance`). */
  readonly instanceGroupName?: pulumi.Output<string>;

  constructor(name: string, args: ParameterGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("parity:database:ParameterGroup", name, {}, opts);
    const parameters = Object.entries(args.parameters).map(([parameterName, value]) => ({
      name: parameterName,
      value,
      applyMethod: applyMethod(parameterName),
    }));
    const common = {
      name: args.groupName,
      family: args.family,
      description: `parity: parameters shared by every tier (${args.family})`,
      parameters,
      tags: { ...args.tags },
    };
    const group =
      args.kind === "cluster"
        ? new aws.rds.ClusterParameterGroup(`${name}-cluster`, common, { parent: this })
        : new aws.rds.ParameterGroup(`${name}-instance`, common, { parent: this });
    this.groupName = group.name;
    if (args.kind === "cluster") {
      this.instanceGroupName = new aws.rds.ParameterGroup(
        `${name}-cluster-instances`,
        {
          name: `${args.groupName}-instance`,
          family: args.family,
          description: `parity: cluster instances of every tier (${args.family})`,
          tags: { ...args.tags },
        },
        { parent: this },
      ).name;
    }
    this.registerOutputs({ groupName: this.groupName, instanceGroupName: this.instanceGroupName });
  }
}
