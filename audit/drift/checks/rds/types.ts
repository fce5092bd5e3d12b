// What the RDS check reads from one environment: the settings that make staging behave like
// production (or not), and the user-set values of its parameter groups.
import type { CompareContext } from "../../../core/check.ts";

export type RdsKind = "instance" | "cluster";

export interface RdsClusterMember {
  identifier: string;
  instanceClass?: string;
  writer: boolean;
}

export interface RdsSnapshot {
  environment: string;
  kind: RdsKind;
  identifier: string;
  engine: string;
  engineVersion: string;
  /** Instance: its class. Cluster: DBClusterInstanceClass (Multi-AZ DB clusters) or the writer's class. */
  instanceClass?: string;
  /** Aurora clusters report none; we record Aurora's implicit `aurora` then. */
  storageType?: string;
  storageEncrypted?: boolean;
  multiAZ?: boolean;
  /** Aurora keeps it per instance: the writer's. */
  autoMinorVersionUpgrade?: boolean;
  backupRetentionPeriod?: number;
  deletionProtection?: boolean;
  /** The DB parameter group (an instance's, or a cluster writer's). */
  parameterGroup?: string;
  clusterParameterGroup?: string;
  /** User-set (Source=user) parameters of the DB parameter group, by name. */
  parameters: Record<string, string>;
  /** User-set parameters of the cluster parameter group, by name (clusters only). */
  clusterParameters: Record<string, string>;
  members?: RdsClusterMember[];
}

export interface RdsRuleContext {
  baseline: RdsSnapshot;
  target: RdsSnapshot;
  environments: CompareContext;
}

/** objectType of findings about the database itself: stable names for the audit's ignore list. */
export function resourceObjectType(snapshot: RdsSnapshot): "rds-instance" | "rds-cluster" {
  return snapshot.kind === "instance" ? "rds-instance" : "rds-cluster";
}
