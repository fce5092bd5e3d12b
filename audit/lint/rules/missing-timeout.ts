// What lint/missing-lock-timeout and lint/missing-statement-timeout share: the first statement of a
// file that takes a write-blocking lock on an existing table while the session has not set the
// timeout yet. Reported once per file (later statements run under the same session), each rule
// with its own reason and its own suggested SET.
import { blocksWrites, describeLock } from "../locks.ts";
import { locksTaken } from "../locks-taken.ts";
import type { LintRule, LintRuleMeta } from "../rule.ts";

export interface MissingTimeoutRule {
  meta: LintRuleMeta & { messages: { missing: string } };
  /** The session setting whose absence the rule reports. */
  setting: "lockTimeout" | "statementTimeout";
  /** The SET that the suggested rewrite starts with, e.g. `SET lock_timeout = '2s'`. */
  set: string;
}

export function missingTimeoutRule({ meta, setting, set }: MissingTimeoutRule): LintRule {
  return {
    meta,
    check(context) {
      if (context.session[setting] || context.session.blockingLockTaken) return [];
      const lock = locksTaken(context.statement.node).find(
        (candidate) => blocksWrites(candidate.mode) && context.table(candidate.relation) !== undefined,
      );
      const table = lock ? context.table(lock.relation) : undefined;
      if (!lock || !table) return [];
      return [
        context.report({
          messageId: "missing",
          data: { table: table.name, lock: describeLock(lock.mode) },
          severity: meta.defaultSeverity,
          objectType: "table",
          object: table.name,
          rewrite: `${set}; ${context.statement.sql};`,
        }),
      ];
    },
  };
}
