// Which table lock a statement takes, on which table: PostgreSQL's own choice (AlterTableGetLockLevel
// in tablecmds.c, and the "Explicit Locking" chapter's list of commands per mode).
import type { AlterTableCmd, Node } from "libpg-query";
import type { LockMode } from "./locks.ts";
import { dottedName, relationKey } from "./relation.ts";

export interface LockTaken {
  mode: LockMode;
  /** The table as written in the migration (`orders`), or an index's name for DROP INDEX. */
  relation: string;
}

const STRENGTH: readonly LockMode[] = [
  "ACCESS SHARE",
  "ROW SHARE",
  "ROW EXCLUSIVE",
  "SHARE UPDATE EXCLUSIVE",
  "SHARE",
  "SHARE ROW EXCLUSIVE",
  "EXCLUSIVE",
  "ACCESS EXCLUSIVE",
];

export function strongest(modes: readonly LockMode[]): LockMode | undefined {
  return [...modes].sort((a, b) => STRENGTH.indexOf(b) - STRENGTH.indexOf(a))[0];
}

function alterCommandLock(command: AlterTableCmd): LockMode {
  switch (command.subtype) {
    case "AT_AddConstraint": {
      const constraint = (command.def as { Constraint?: { contype?: string } } | undefined)?.Constraint;
      return constraint?.contype === "CONSTR_FOREIGN" ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE";
    }
    case "AT_ValidateConstraint":
    case "AT_SetStatistics":
    case "AT_SetOptions":
    case "AT_ResetOptions":
    case "AT_ClusterOn":
    case "AT_DropCluster":
    case "AT_AttachPartition":
      return "SHARE UPDATE EXCLUSIVE";
    case "AT_EnableTrig":
    case "AT_EnableAlwaysTrig":
    case "AT_EnableReplicaTrig":
    case "AT_DisableTrig":
    case "AT_EnableTrigAll":
    case "AT_DisableTrigAll":
    case "AT_EnableTrigUser":
    case "AT_DisableTrigUser":
      return "SHARE ROW EXCLUSIVE";
    case "AT_DetachPartition":
      return (command.def as { PartitionCmd?: { concurrent?: boolean } } | undefined)?.PartitionCmd
        ?.concurrent
        ? "SHARE UPDATE EXCLUSIVE"
        : "ACCESS EXCLUSIVE";
    default:
      return "ACCESS EXCLUSIVE";
  }
}

/** The locks one statement takes on tables (an ADD FOREIGN KEY locks both tables). */
export function locksTaken(node: Node): LockTaken[] {
  if ("IndexStmt" in node) {
    const relation = relationKey(node.IndexStmt.relation);
    if (!relation) return [];
    return [{ mode: node.IndexStmt.concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE", relation }];
  }
  if ("AlterTableStmt" in node) {
    const relation = relationKey(node.AlterTableStmt.relation);
    if (!relation || node.AlterTableStmt.objtype !== "OBJECT_TABLE") return [];
    const commands = (node.AlterTableStmt.cmds ?? []).flatMap((cmd) =>
      "AlterTableCmd" in cmd ? [cmd.AlterTableCmd] : [],
    );
    const mode = strongest(commands.map(alterCommandLock)) ?? "ACCESS EXCLUSIVE";
    const referenced = commands.flatMap((command) => {
      const constraint = (command.def as { Constraint?: { contype?: string; pktable?: never } } | undefined)
        ?.Constraint;
      const pk = constraint?.contype === "CONSTR_FOREIGN" ? relationKey(constraint.pktable) : undefined;
      return pk ? [{ mode: "SHARE ROW EXCLUSIVE" as const, relation: pk }] : [];
    });
    return [{ mode, relation }, ...referenced];
  }
  if ("DropStmt" in node) {
    const kind = node.DropStmt.removeType;
    if (kind !== "OBJECT_TABLE" && kind !== "OBJECT_INDEX" && kind !== "OBJECT_MATVIEW") return [];
    const mode =
      kind === "OBJECT_INDEX" && node.DropStmt.concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE";
    return (node.DropStmt.objects ?? []).flatMap((item) => {
      const relation = dottedName(item);
      return relation ? [{ mode, relation }] : [];
    });
  }
  if ("TruncateStmt" in node) {
    return (node.TruncateStmt.relations ?? []).flatMap((item) => {
      const relation = "RangeVar" in item ? relationKey(item.RangeVar) : undefined;
      return relation ? [{ mode: "ACCESS EXCLUSIVE" as const, relation }] : [];
    });
  }
  if ("RenameStmt" in node) {
    const relation = relationKey(node.RenameStmt.relation);
    return relation ? [{ mode: "ACCESS EXCLUSIVE", relation }] : [];
  }
  if ("CreateTrigStmt" in node) {
    const relation = relationKey(node.CreateTrigStmt.relation);
    return relation ? [{ mode: "SHARE ROW EXCLUSIVE", relation }] : [];
  }
  if ("RefreshMatViewStmt" in node) {
    const relation = relationKey(node.RefreshMatViewStmt.relation);
    if (!relation) return [];
    return [{ mode: node.RefreshMatViewStmt.concurrent ? "EXCLUSIVE" : "ACCESS EXCLUSIVE", relation }];
  }
  return [];
}
