// The parameter group every tier gets with the same values: an instance parameter group for RDS
// for PostgreSQL, a cluster parameter group for Aurora.
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
    this.registerOutputs({ groupName: this.groupName });
  }
}
