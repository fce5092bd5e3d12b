// lint/type-change-rewrite: ALTER COLUMN … TYPE rewrites the table and rebuilds its indexes under an
// ACCESS EXCLUSIVE lock, unless the old type converts without touching the data: binary coercible on
// the target (pg_cast castmethod 'b', e.g. varchar → text) with no tighter modifier, or the same type
// with a wider modifier (varchar(20) → varchar(50), numeric(10,2) → numeric(12,2)). That is the
// server's own test (ATColumnChangeRequiresRewrite in tablecmds.c), read against the target's catalog.
import type { ColumnDef, Node } from "libpg-query";
import { describeTable } from "../describe.ts";
import { rewriteSeconds } from "../estimate.ts";
import type { ColumnFacts, TargetFacts } from "../facts.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/type-change-rewrite";

/** Types whose modifier only constrains (a wider or absent one accepts every old value as it is). */
const WIDENING: Record<string, (old: number, next: number[]) => boolean> = {
  varchar: (old, [length]) => length === undefined || old === -1 || length + 4 >= old,
  varbit: (old, [length]) => length === undefined || old === -1 || length >= old,
  numeric: (old, [precision, scale = 0]) => {
    if (precision === undefined) return true;
    if (old === -1) return false;
    const oldPrecision = ((old - 4) >> 16) & 0xffff;
    const oldScale = (old - 4) & 0xffff;
    return scale === oldScale && precision >= oldPrecision;
  },
  timestamp: (old, [precision]) => precision === undefined || old === -1 || precision >= old,
  timestamptz: (old, [precision]) => precision === undefined || old === -1 || precision >= old,
  time: (old, [precision]) => precision === undefined || old === -1 || precision >= old,
  interval: (old, next) => next.length === 0 || old === -1,
};

function integerModifiers(definition: ColumnDef): number[] {
  return (definition.typeName?.typmods ?? []).flatMap((node) =>
    "A_Const" in node && node.A_Const.ival !== undefined ? [node.A_Const.ival.ival ?? 0] : [],
  );
}

function usesOnlyTheColumn(using: Node | undefined, column: string): boolean {
  if (!using) return true;
  if (!("ColumnRef" in using)) return false;
  const field = using.ColumnRef.fields?.at(-1);
  return field !== undefined && "String" in field && field.String.sval === column;
}

/** Why the change rewrites, or undefined when the target converts in place. */
export function rewriteReason(
  old: ColumnFacts,
  definition: ColumnDef,
  target: TargetFacts,
): string | undefined {
  const name = definition.typeName?.names?.at(-1);
  const next = name && "String" in name ? (name.String.sval ?? "") : "";
  const modifiers = integerModifiers(definition);
  if (!usesOnlyTheColumn(definition.raw_default, old.name))
    return "its USING expression computes every row again";
  if (next === old.typeName) {
    const widening = WIDENING[next];
    if (widening?.(old.typmod, modifiers)) return undefined;
    return `${old.type} to a narrower or different ${next} modifier checks and rewrites every row`;
  }
  if (target.binaryCoercible.has(`${old.typeName}>${next}`) && modifiers.length === 0) return undefined;
  return `${old.type} → ${next} is not binary coercible on the target, so every row is converted`;
}

export const typeChangeRewrite: LintRule = {
  meta: {
    id: ID,
    description:
      "ALTER COLUMN … TYPE that rewrites the table and its indexes under ACCESS EXCLUSIVE on the target.",
    defaultSeverity: "error",
    messages: {
      rewrite:
        "ALTER COLUMN {{column}} TYPE rewrites {{table}} and rebuilds its {{indexes}}: {{reason}}; it takes {{hold}}. Add a column of the new type, backfill it in batches (a trigger keeps it current), then swap the names in one short transaction; to limit a length, use a CHECK constraint added NOT VALID and validated",
    },
  },
  check(context) {
    const node = context.statement.node;
    if (!("AlterTableStmt" in node)) return [];
    const table = context.table(node.AlterTableStmt.relation);
    if (!table) return [];
    return (node.AlterTableStmt.cmds ?? []).flatMap((cmd) => {
      if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_AlterColumnType") return [];
      const columnName = cmd.AlterTableCmd.name ?? "";
      const old = table.columns.find((column) => column.name === columnName);
      const definition = (cmd.AlterTableCmd.def as { ColumnDef?: ColumnDef } | undefined)?.ColumnDef;
      if (!old || !definition) return [];
      const reason = rewriteReason(old, definition, context.target);
      if (!reason) return [];
      const seconds = rewriteSeconds(table, context.settings.throughput);
      const severity = context.severityFor(table, seconds);
      if (!severity) return [];
      return [
        context.report({
          messageId: "rewrite",
          data: {
            column: columnName,
            table: describeTable(table),
            indexes: `${table.indexes.length} index${table.indexes.length === 1 ? "" : "es"}`,
            reason,
          },
          severity,
          hold: { table, mode: "ACCESS EXCLUSIVE", seconds },
          objectType: "column",
          object: `${table.name}.${columnName}`,
          rewrite: `ALTER TABLE ${table.name} ADD COLUMN ${columnName}_new <new type>; -- backfill in batches, keep in sync with a trigger, then in one transaction: DROP the old column, RENAME ${columnName}_new TO ${columnName}`,
        }),
      ];
    });
  },
};
