// lint/create-index-not-concurrently: the seed-003 incident. CREATE INDEX without CONCURRENTLY holds
// a SHARE lock for the whole build: every write to the table waits, and every query queued behind
// those writes. 80 ms on staging's 200 rows; 47 minutes on production's 1.8 million.

import type { AlterTableStmt, Constraint } from "libpg-query";
import type { Finding } from "../../core/finding.ts";
import { describeTable } from "../describe.ts";
import { indexBuildSeconds } from "../estimate.ts";
import { insertAfterKeyword } from "../rewrite.ts";
import type { LintContext, LintRule } from "../rule.ts";

const ID = "lint/create-index-not-concurrently";

export const createIndexNotConcurrently: LintRule = {
  meta: {
    id: ID,
    description:
      "CREATE INDEX without CONCURRENTLY on a table big enough on the target for the build to block writes noticeably.",
    defaultSeverity: "error",
    messages: {
      blocking:
        "CREATE INDEX {{index}} on {{table}} takes {{hold}}; build it with CREATE INDEX CONCURRENTLY, outside a transaction block (if it fails it leaves an INVALID index: DROP INDEX CONCURRENTLY it and run it again)",
      partitioned:
        "CREATE INDEX {{index}} on the partitioned {{table}} builds on every partition, each under {{hold}} (CONCURRENTLY is not allowed on a partitioned table): CREATE INDEX … ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX … ATTACH PARTITION each",
      constraint:
        "ADD {{kind}} {{index}} builds its unique index on {{table}} under {{hold}}; CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … {{kind}} USING INDEX (a catalog change)",
    },
  },
  check(context) {
    const node = context.statement.node;
    if ("AlterTableStmt" in node) return constraintIndexes(context, node.AlterTableStmt);
    if (!("IndexStmt" in node) || node.IndexStmt.concurrent) return [];
    const table = context.table(node.IndexStmt.relation);
    if (!table) return [];
    const keyColumns = node.IndexStmt.indexParams?.length ?? 1;
    const seconds = indexBuildSeconds(table, keyColumns, context.settings.throughput);
    const severity = context.severityFor(table, seconds);
    if (!severity) return [];
    const partitioned = table.kind === "p";
    return [
      context.report({
        messageId: partitioned ? "partitioned" : "blocking",
        data: {
          index: node.IndexStmt.idxname ?? "(unnamed)",
          table: describeTable(table),
        },
        severity,
        hold: { table, mode: "SHARE", seconds },
        objectType: "table",
        object: table.name,
        rewrite: partitioned
          ? insertAfterKeyword(context.statement.sql, "ON", "ONLY")
          : insertAfterKeyword(context.statement.sql, "INDEX", "CONCURRENTLY"),
      }),
    ];
  },
};

/** ADD PRIMARY KEY / UNIQUE without USING INDEX: an index build under ACCESS EXCLUSIVE. */
function constraintIndexes(context: LintContext, statement: AlterTableStmt): Finding[] {
  const table = context.table(statement.relation);
  if (!table) return [];
  return (statement.cmds ?? []).flatMap((cmd) => {
    if (!("AlterTableCmd" in cmd) || cmd.AlterTableCmd.subtype !== "AT_AddConstraint") return [];
    const constraint = (cmd.AlterTableCmd.def as { Constraint?: Constraint } | undefined)?.Constraint;
    const kind =
      constraint?.contype === "CONSTR_PRIMARY"
        ? "PRIMARY KEY"
        : constraint?.contype === "CONSTR_UNIQUE"
          ? "UNIQUE"
          : undefined;
    if (!constraint || !kind || constraint.indexname) return [];
    const seconds = indexBuildSeconds(table, constraint.keys?.length ?? 1, context.settings.throughput);
    const severity = context.severityFor(table, seconds);
    if (!severity) return [];
    const index = constraint.conname ?? `${table.name.split(".").at(-1)}_key`;
    const columns = (constraint.keys ?? []).map((key) => ("String" in key ? key.String.sval : "")).join(", ");
    return [
      context.report({
        messageId: "constraint",
        data: { kind, index, table: describeTable(table) },
        severity,
        hold: { table, mode: "ACCESS EXCLUSIVE", seconds },
        objectType: "table",
        object: table.name,
        rewrite: `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON ${table.name} (${columns}); ALTER TABLE ${table.name} ADD CONSTRAINT ${index} ${kind} USING INDEX ${index};`,
      }),
    ];
  });
}
