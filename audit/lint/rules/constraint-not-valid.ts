// lint/constraint-not-valid: ADD FOREIGN KEY or ADD CHECK validates every existing row while it holds
// its lock (SHARE ROW EXCLUSIVE on both tables of a foreign key, ACCESS EXCLUSIVE for a check). Added
// NOT VALID it only applies to new rows at once; VALIDATE CONSTRAINT later checks the old ones under
// SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes.
import type { Constraint } from "libpg-query";
import { describeTable } from "../describe.ts";
import { foreignKeyValidationSeconds, scanSeconds } from "../estimate.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/constraint-not-valid";

export const constraintNotValid: LintRule = {
  meta: {
    id: ID,
    description:
      "ADD FOREIGN KEY or ADD CHECK without NOT VALID on a table big enough for the validation to block.",
    defaultSeverity: "error",
    messages: {
      foreignKey:
        "ADD FOREIGN KEY {{name}} validates every row of {{table}} against {{referenced}} while holding {{hold}}, on both tables. Add it NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later statement (SHARE UPDATE EXCLUSIVE: reads and writes go on)",
      check:
        "ADD CHECK {{name}} scans every row of {{table}} while holding {{hold}}. Add it NOT VALID, then VALIDATE CONSTRAINT in a later statement (SHARE UPDATE EXCLUSIVE: reads and writes go on)",
    },
  },
  check(context) {
    const node = context.statement.node;
    if (!("AlterTableStmt" in node)) return [];
    const table = context.table(node.AlterTableStmt.relation);
    if (!table) return [];
    return (node.AlterTableStmt.cmds ?? []).flatMap((cmd) => {
      if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_AddConstraint") return [];
      const constraint = (cmd.AlterTableCmd.def as { Constraint?: Constraint } | undefined)?.Constraint;
      if (!constraint || constraint.skip_validation) return [];
      const foreign = constraint.contype === "CONSTR_FOREIGN";
      if (!foreign && constraint.contype !== "CONSTR_CHECK") return [];
      const throughput = context.settings.throughput;
      const seconds = foreign
        ? foreignKeyValidationSeconds(table, context.table(constraint.pktable), throughput)
        : scanSeconds(table, throughput);
      const severity = context.severityFor(table, seconds);
      if (!severity) return [];
      const name = constraint.conname ?? "(unnamed)";
      const referenced = constraint.pktable?.relname ?? "";
      return [
        context.report({
          messageId: foreign ? "foreignKey" : "check",
          data: {
            name,
            table: describeTable(table),
            referenced,
          },
          severity,
          hold: { table, mode: foreign ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE", seconds },
          objectType: "table",
          object: table.name,
          rewrite: `${context.statement.sql} NOT VALID; ALTER TABLE ${table.name} VALIDATE CONSTRAINT ${name};`,
        }),
      ];
    });
  },
};
