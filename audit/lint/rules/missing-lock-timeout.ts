// lint/missing-lock-timeout: a statement that needs a write-blocking lock waits behind every running
// query on the table, and every query arriving after it waits behind it: a 1 ms ALTER TABLE queued
// behind a 10-minute report stops all traffic for 10 minutes. SET lock_timeout makes it give up
// instead (and the migration can be retried). Reported once per file, at the first such statement.
import { blocksWrites, describeLock } from "../locks.ts";
import { locksTaken } from "../locks-taken.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/missing-lock-timeout";

export const missingLockTimeout: LintRule = {
  meta: {
    id: ID,
    description:
      "A write-blocking lock on an existing table with no SET lock_timeout before it: the lock queue can stall all traffic.",
    defaultSeverity: "warning",
    messages: {
      missing:
        "{{table}} gets {{lock}} with no lock_timeout set: while it waits for running queries, every query after it waits too. Start the migration with SET lock_timeout = '2s' (and retry on timeout)",
    },
  },
  check(context) {
    if (context.session.lockTimeout || context.session.blockingLockTaken) return [];
    const lock = locksTaken(context.statement.node).find(
      (candidate) => blocksWrites(candidate.mode) && context.table(candidate.relation) !== undefined,
    );
    const table = lock ? context.table(lock.relation) : undefined;
    if (!lock || !table) return [];
    return [
      context.report({
        messageId: "missing",
        data: { table: table.name, lock: describeLock(lock.mode) },
        severity: "warning",
        objectType: "table",
        object: table.name,
        rewrite: `SET lock_timeout = '2s'; ${context.statement.sql};`,
      }),
    ];
  },
};
