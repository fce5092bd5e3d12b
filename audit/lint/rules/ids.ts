// The lint rules' ids without the rules. `parity audit` and `parity validate` check a config's
// `rules:` against every id, lint's included (one config serves both), but need nothing else of
// the lint rules: importing them loads the SQL parser's module (libpg-query) on every audit,
// 20–40 ms of its start before the first connection. test/lint/rule-ids.test.ts keeps this list
// equal to lintRules'.
export const LINT_RULE_IDS: readonly string[] = Object.freeze([
  "lint/add-column-volatile-default",
  "lint/concurrently-in-transaction",
  "lint/constraint-not-valid",
  "lint/create-index-not-concurrently",
  "lint/drop",
  "lint/missing-lock-timeout",
  "lint/missing-statement-timeout",
  "lint/set-not-null-without-check",
  "lint/type-change-rewrite",
]);
