// lint/drop: DROP TABLE and DROP COLUMN lose data for good, and an application still reading the
// object breaks the moment it commits. Reported with what is lost on the target, as a warning: only
// the reviewer knows whether it is intended.
import { describeTable } from "../describe.ts";
import { dottedName } from "../relation.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/drop";

export const drop: LintRule = {
  meta: {
    id: ID,
    description: "DROP TABLE or DROP COLUMN of an object that holds data on the target.",
    defaultSeverity: "warning",
    messages: {
      table:
        "DROP TABLE {{table}} deletes its data for good and breaks anything still reading it; deploy code that no longer uses it first, and keep a dump (pg_dump -t) until the release is proven",
      column:
        "DROP COLUMN {{column}} deletes its values in {{table}} for good and breaks any query still naming it; stop reading and writing it in a release before, then drop",
    },
  },
  check(context) {
    const node = context.statement.node;
    if ("DropStmt" in node && node.DropStmt.removeType === "OBJECT_TABLE") {
      return (node.DropStmt.objects ?? []).flatMap((item) => {
        const table = context.table(dottedName(item));
        if (!table) return [];
        return [
          context.report({
            messageId: "table",
            data: { table: describeTable(table) },
            severity: "warning",
            objectType: "table",
            object: table.name,
          }),
        ];
      });
    }
    if (!("AlterTableStmt" in node)) return [];
    const table = context.table(node.AlterTableStmt.relation);
    if (!table) return [];
    return (node.AlterTableStmt.cmds ?? []).flatMap((cmd) => {
      if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_DropColumn") return [];
      const column = cmd.AlterTableCmd.name ?? "";
      if (!table.columns.some((candidate) => candidate.name === column)) return [];
      return [
        context.report({
          messageId: "column",
          data: { column, table: describeTable(table) },
          severity: "warning",
          objectType: "column",
          object: `${table.name}.${column}`,
        }),
      ];
    });
  },
};
