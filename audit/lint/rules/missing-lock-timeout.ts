// lint/missing-lock-timeout: a statement that needs a write-blocking lock waits behind every running
// query on the table, and every query arriving after it waits behind it: a 1 ms ALTER TABLE queued
// behind a 10-minute report stops all traffic for 10 minutes. SET lock_timeout makes it give up
// instead (and the migration can be retried). Reported once per file, at the first such statement.
import { missingTimeoutRule } from "./missing-timeout.ts";

export const missingLockTimeout = missingTimeoutRule({
  meta: {
    id: "lint/missing-lock-timeout",
    description:
      "A write-blocking lock on an existing table with no SET lock_timeout before it: the lock queue can stall all traffic.",
    defaultSeverity: "warning",
    messages: {
      missing:
        "{{table}} gets {{lock}} with no lock_timeout set: while it waits for running queries, every query after it waits too. Start the migration with SET lock_timeout = '2s' (and retry on timeout)",
    },
  },
  setting: "lockTimeout",
  set: "SET lock_timeout = '2s'",
});
