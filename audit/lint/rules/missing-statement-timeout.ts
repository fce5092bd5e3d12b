// lint/missing-statement-timeout: a statement that holds a write-blocking lock for longer than
// planned keeps holding it until it finishes; statement_timeout bounds the damage (the statement is
// cancelled and its lock released). Reported once per file, as information: lock_timeout matters more.
import { missingTimeoutRule } from "./missing-timeout.ts";

export const missingStatementTimeout = missingTimeoutRule({
  meta: {
    id: "lint/missing-statement-timeout",
    description:
      "A write-blocking lock on an existing table with no SET statement_timeout before it: nothing bounds how long it is held.",
    defaultSeverity: "info",
    messages: {
      missing:
        "{{table}} gets {{lock}} with no statement_timeout set: if the statement runs longer than planned, nothing releases the lock. SET statement_timeout to the longest you can afford to block",
    },
  },
  setting: "statementTimeout",
  set: "SET statement_timeout = '30s'",
});
