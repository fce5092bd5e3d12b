// data/masking-coverage: PII leaks into staging the day someone adds `billing_email` and forgets the rule.
// Every column that looks like personal data or a secret needs a rule, a reviewed-safe mark, or a
// foreign key to a ruled column (masking applies the key's rule to its references).
import { makeFinding } from "../../../core/finding.ts";
import { piiKind, suggestedRule } from "../../../masking/pii.ts";
import type { DataRule, DataSnapshot } from "../../checks/data/types.ts";

const ID = "data/masking-coverage";

/** Ruled columns plus every column tied to one by foreign keys (transitively). */
function coveredColumns(target: DataSnapshot, ruled: readonly string[]): Set<string> {
  const neighbours = new Map<string, string[]>();
  for (const [a, b] of target.foreignKeyPairs) {
    neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
    neighbours.set(b, [...(neighbours.get(b) ?? []), a]);
  }
  const covered = new Set(ruled);
  const queue = [...ruled];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const neighbour of neighbours.get(next) ?? []) {
      if (!covered.has(neighbour)) {
        covered.add(neighbour);
        queue.push(neighbour);
      }
    }
  }
  return covered;
}

export const maskingCoverage: DataRule = {
  meta: {
    id: ID,
    description:
      "A column that looks like personal data or a secret (email, phone, name, address, ip, birth date, token) has no masking rule and no reviewed-safe mark.",
    defaultSeverity: "error",
  },
  check({ target }) {
    const suspects = target.columns.flatMap((column) => {
      const kind = piiKind(column);
      return kind
        ? [
            {
              key: `${column.schema}.${column.table}.${column.column}`,
              kind,
              type: column.type,
              ...(column.viewReads ? { viewReads: column.viewReads } : {}),
            },
          ]
        : [];
    });
    if (!target.masking) {
      if (suspects.length === 0) return [];
      const names = suspects.map((suspect) => suspect.key);
      return [
        makeFinding({
          ruleId: ID,
          severity: "warning",
          message: `${suspects.length} column(s) look like personal data but ${target.environment} names no maskingRules file, so masking coverage is not checked: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}`,
          environment: target.environment,
          objectType: "database",
          object: target.environment,
          actual: names,
        }),
      ];
    }
    const { file, ruled, stale } = target.masking;
    const covered = coveredColumns(target, ruled);
    // A materialized view is refreshed from the masked tables: covered when it reads a ruled column.
    const unmasked = suspects
      .filter((suspect) => !covered.has(suspect.key))
      .filter((suspect) => !suspect.viewReads?.some((read) => covered.has(read)))
      .map((suspect) => {
        const column = suspect.key.split(".").at(-1);
        const message = suspect.viewReads
          ? `${suspect.key} (${suspect.type}, a materialized view column) looks like ${suspect.kind} data and the view reads no ruled column, so refreshing it after masking would keep the originals: rule the table columns it reads in ${file}, or mark it reviewed with \`${column}: { safe: "why it is not personal data" }\``
          : `${suspect.key} (${suspect.type}) looks like ${suspect.kind} data and has no masking rule in ${file}: add \`${column}: ${suggestedRule(suspect.kind)}\` under its table, or mark it reviewed with \`${column}: { safe: "why it is not personal data" }\``;
        return makeFinding({
          ruleId: ID,
          severity: "error",
          message,
          environment: target.environment,
          objectType: "column",
          object: suspect.key,
          actual: suspect.kind,
        });
      });
    const stalely = stale.map((key) =>
      makeFinding({
        ruleId: ID,
        severity: "warning",
        message: `${file} has a masking rule for ${key}, which ${target.environment} does not have: parity mask refuses rules that name missing columns`,
        environment: target.environment,
        objectType: key.split(".").length === 3 ? "column" : "table",
        object: key,
      }),
    );
    return [...unmasked, ...stalely];
  },
};
