// lint/add-column-volatile-default: since PostgreSQL 11 ADD COLUMN … DEFAULT <constant> only writes
// the catalog; a volatile default (gen_random_uuid(), clock_timestamp(), a serial's nextval), a
// STORED generated column or an identity column fills every row, rewriting the table under an
// ACCESS EXCLUSIVE lock (before 11 every non-null default did).
import type { ColumnDef, Node } from "libpg-query";
import { describeTable } from "../describe.ts";
import { rewriteSeconds } from "../estimate.ts";
import { volatilityOf } from "../expression.ts";
import type { LintContext, LintRule } from "../rule.ts";

const ID = "lint/add-column-volatile-default";
const SERIAL_TYPES = new Set(["smallserial", "serial", "bigserial", "serial2", "serial4", "serial8"]);

/** Why adding this column rewrites the table on the target, or undefined when it does not. */
function rewriteReason(column: ColumnDef, context: LintContext): string | undefined {
  const typeName = column.typeName?.names?.at(-1);
  const type = typeName && "String" in typeName ? typeName.String.sval : undefined;
  if (type && SERIAL_TYPES.has(type))
    return `a ${type} column fills every row from its sequence (nextval() is volatile)`;
  for (const item of column.constraints ?? []) {
    if (!("Constraint" in item)) continue;
    const constraint = item.Constraint;
    if (constraint.contype === "CONSTR_IDENTITY")
      return "an identity column fills every row from its sequence";
    if (constraint.contype === "CONSTR_GENERATED")
      return "a STORED generated column is computed for every row";
    if (constraint.contype !== "CONSTR_DEFAULT" || !constraint.raw_expr) continue;
    if (context.target.serverVersionNum < 110000 && !isNullConstant(constraint.raw_expr)) {
      return `before PostgreSQL 11 (the target runs ${context.target.serverVersionNum}) every non-null default is written to every row`;
    }
    const verdict = volatilityOf(constraint.raw_expr, context.target);
    if (verdict.volatility === "volatile") {
      return `the default calls ${verdict.functions.map((name) => `${name}()`).join(", ")}, volatile on the target, so it is evaluated for every row`;
    }
    if (verdict.volatility === "unknown") {
      return `the default calls ${verdict.functions.map((name) => `${name}()`).join(", ")}, which the target does not have yet; if it is volatile every row is rewritten`;
    }
  }
  return undefined;
}

function isNullConstant(node: Node): boolean {
  return "A_Const" in node && node.A_Const.isnull === true;
}

export const addColumnVolatileDefault: LintRule = {
  meta: {
    id: ID,
    description:
      "ADD COLUMN with a volatile default, a serial, identity or stored generated column: the table is rewritten under ACCESS EXCLUSIVE.",
    defaultSeverity: "error",
    messages: {
      rewrite:
        "ADD COLUMN {{column}} rewrites {{table}}: {{reason}}; it takes {{hold}}. Add the column without the default (or with a constant one), backfill it in batches, then SET DEFAULT for new rows",
    },
  },
  check(context) {
    const node = context.statement.node;
    if (!("AlterTableStmt" in node)) return [];
    const table = context.table(node.AlterTableStmt.relation);
    if (!table) return [];
    return (node.AlterTableStmt.cmds ?? []).flatMap((cmd) => {
      if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_AddColumn") return [];
      const column = (cmd.AlterTableCmd.def as { ColumnDef?: ColumnDef } | undefined)?.ColumnDef;
      const reason = column ? rewriteReason(column, context) : undefined;
      if (!column || !reason) return [];
      const seconds = rewriteSeconds(table, context.settings.throughput);
      const severity = context.severityFor(table, seconds);
      if (!severity) return [];
      return [
        context.report({
          messageId: "rewrite",
          data: { column: column.colname ?? "", table: describeTable(table), reason },
          severity,
          hold: { table, mode: "ACCESS EXCLUSIVE", seconds },
          objectType: "column",
          object: `${table.name}.${column.colname ?? ""}`,
          rewrite: `ALTER TABLE ${table.name} ADD COLUMN ${column.colname ?? ""} <type>; -- then UPDATE in batches of a few thousand rows; then ALTER COLUMN ${column.colname ?? ""} SET DEFAULT <expression>`,
        }),
      ];
    });
  },
};
