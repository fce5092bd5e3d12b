// lint/missing-statement-timeout: a statement that holds a write-blocking lock for longer than
// planned keeps holding it until it finishes; statement_timeout bounds the damage (the statement is
// cancelled and its lock released). Reported once per file, as information: lock_timeout matters more.
import { blocksWrites, describeLock } from "../locks.ts";
import { locksTaken } from "../locks-taken.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/missing-statement-timeout";

export const missingStatementTimeout: LintRule = {
  meta: {
    id: ID,
    description:
      "A write-blocking lock on an existing table with no SET statement_timeout before it: nothing bounds how long it is held.",
    defaultSeverity: "info",
    messages: {
      missing:
        "{{table}} gets {{lock}} with no statement_timeout set: if the statement runs longer than planned, nothing releases the lock. SET statement_timeout to the longest you can afford to block",
    },
  },
  check(context) {
    if (context.session.statementTimeout || context.session.blockingLockTaken) return [];
    const lock = locksTaken(context.statement.node).find(
      (candidate) => blocksWrites(candidate.mode) && context.table(candidate.relation) !== undefined,
    );
    const table = lock ? context.table(lock.relation) : undefined;
    if (!lock || !table) return [];
    return [
      context.report({
        messageId: "missing",
        data: { table: table.name, lock: describeLock(lock.mode) },
        severity: "info",
        objectType: "table",
        object: table.name,
        rewrite: `SET statement_timeout = '30s'; ${context.statement.sql};`,
      }),
    ];
  },
};
