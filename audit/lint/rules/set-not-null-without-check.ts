// lint/set-not-null-without-check: SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove
// there is no NULL. Since PostgreSQL 12 the scan is skipped when a validated CHECK (c IS NOT NULL)
// already proves it, and that check can be added NOT VALID and validated without blocking anyone.
import { parseSync } from "libpg-query";
import { describeTable } from "../describe.ts";
import { scanSeconds } from "../estimate.ts";
import { notNullColumns } from "../expression.ts";
import type { TableFacts } from "../facts.ts";
import { relationKey } from "../relation.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/set-not-null-without-check";

/** The target's validated CHECK constraints proving `column` NOT NULL (parsed with the real parser). */
function provenOnTarget(table: TableFacts, column: string): boolean {
  return table.constraints.some((constraint) => {
    if (constraint.type !== "c" || !constraint.validated) return false;
    const tree = parseSync(`ALTER TABLE t ADD ${constraint.definition}`);
    const statement = tree.stmts?.[0]?.stmt;
    const command =
      statement && "AlterTableStmt" in statement ? statement.AlterTableStmt.cmds?.[0] : undefined;
    const check = command && "AlterTableCmd" in command ? command.AlterTableCmd.def : undefined;
    return (
      check !== undefined &&
      "Constraint" in check &&
      notNullColumns(check.Constraint.raw_expr).includes(column)
    );
  });
}

export const setNotNullWithoutCheck: LintRule = {
  meta: {
    id: ID,
    description:
      "SET NOT NULL with no validated CHECK (column IS NOT NULL): a full scan under ACCESS EXCLUSIVE.",
    defaultSeverity: "error",
    messages: {
      scan: "SET NOT NULL on {{column}} scans all of {{table}} to prove it has no NULL, holding {{hold}}. First ADD CONSTRAINT … CHECK ({{column}} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT (reads and writes go on), then SET NOT NULL skips the scan{{versionNote}}",
    },
  },
  check(context) {
    const node = context.statement.node;
    if (!("AlterTableStmt" in node)) return [];
    const table = context.table(node.AlterTableStmt.relation);
    if (!table) return [];
    const key = relationKey(node.AlterTableStmt.relation) ?? "";
    const inMigration = context.session.notNullChecks.get(key) ?? [];
    return (node.AlterTableStmt.cmds ?? []).flatMap((cmd) => {
      if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_SetNotNull") return [];
      const column = cmd.AlterTableCmd.name ?? "";
      const facts = table.columns.find((candidate) => candidate.name === column);
      if (facts?.notNull) return []; // already NOT NULL: nothing to prove
      const proven =
        context.target.serverVersionNum >= 120000 &&
        (provenOnTarget(table, column) ||
          inMigration.some((check) => check.validated && check.columns.includes(column)));
      if (proven) return [];
      const seconds = scanSeconds(table, context.settings.throughput);
      const severity = context.severityFor(table, seconds);
      if (!severity) return [];
      const constraint = `${table.name.split(".").at(-1)}_${column}_not_null`;
      return [
        context.report({
          messageId: "scan",
          data: {
            column,
            table: describeTable(table),
            versionNote:
              context.target.serverVersionNum < 120000
                ? ` (PostgreSQL 12 or later: the target runs ${context.target.serverVersionNum} and scans anyway)`
                : "",
          },
          severity,
          hold: { table, mode: "ACCESS EXCLUSIVE", seconds },
          objectType: "column",
          object: `${table.name}.${column}`,
          rewrite: [
            `ALTER TABLE ${table.name} ADD CONSTRAINT ${constraint} CHECK (${column} IS NOT NULL) NOT VALID;`,
            `ALTER TABLE ${table.name} VALIDATE CONSTRAINT ${constraint};`,
            `ALTER TABLE ${table.name} ALTER COLUMN ${column} SET NOT NULL;`,
            `ALTER TABLE ${table.name} DROP CONSTRAINT ${constraint};`,
          ].join(" "),
        }),
      ];
    });
  },
};
