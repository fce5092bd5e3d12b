// data/masking-coverage: PII leaks into staging the day someone adds `billing_email` and forgets the rule.
// Every column that looks like personal data or a secret needs a rule, a reviewed-safe mark, or a
// foreign key to a ruled column (masking applies the key's rule to its references).
import { compareText } from "../../../core/compare-text.ts";
import { type Rule, report } from "../../../core/rule.ts";
import { piiKind, suggestedRule } from "../../../masking/pii.ts";
import type { DataRuleContext, DataSnapshot } from "../../checks/data/types.ts";

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

export const maskingCoverage: Rule<
  DataRuleContext,
  "noRulesFile" | "unmasked" | "unmaskedViewColumn" | "staleRule"
> = {
  meta: {
    id: "data/masking-coverage",
    description:
      "A column that looks like personal data or a secret (email, phone, name, address, ip, birth date, token) has no masking rule and no reviewed-safe mark.",
    defaultSeverity: "error",
    messages: {
      noRulesFile:
        "{{count}} column(s) look like personal data but {{target}} names no maskingRules file, so masking coverage is not checked: {{columns}}",
      unmasked:
        '{{column}} ({{type}}) looks like {{kind}} data and has no masking rule in {{file}}: add `{{name}}: {{suggestion}}` under its table, or mark it reviewed with `{{name}}: { safe: "why it is not personal data" }`',
      unmaskedViewColumn:
        '{{column}} ({{type}}, a materialized view column) looks like {{kind}} data and the view reads no ruled column, so refreshing it after masking would keep the originals: rule the table columns it reads in {{file}}, or mark it reviewed with `{{name}}: { safe: "why it is not personal data" }`',
      staleRule:
        "{{file}} has a masking rule for {{key}}, which {{target}} does not have: parity mask refuses rules that name missing columns",
    },
    // Without a rules file nothing can be checked yet, and a stale rule leaks nothing: both warnings.
    messageSeverities: { noRulesFile: "warning", staleRule: "warning" },
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
      // Sorted, not in the catalog's order: the finding is the same however the catalog was read.
      // By code unit, not naturally (t2 before t10): at 10,000 columns that costs ~4 ms, not ~40.
      const names = suspects.map((suspect) => suspect.key).sort(compareText);
      return [
        report(maskingCoverage.meta, {
          messageId: "noRulesFile",
          data: {
            count: suspects.length,
            target: target.environment,
            columns: `${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}`,
          },
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
        return report(maskingCoverage.meta, {
          messageId: suspect.viewReads ? "unmaskedViewColumn" : "unmasked",
          data: {
            column: suspect.key,
            type: suspect.type,
            kind: suspect.kind,
            file,
            name: column ?? "",
            suggestion: suggestedRule(suspect.kind),
          },
          environment: target.environment,
          objectType: "column",
          object: suspect.key,
          actual: suspect.kind,
        });
      });
    const stalely = stale.map((key) =>
      report(maskingCoverage.meta, {
        messageId: "staleRule",
        data: { file, key, target: target.environment },
        environment: target.environment,
        objectType: key.split(".").length === 3 ? "column" : "table",
        object: key,
      }),
    );
    return [...unmasked, ...stalely];
  },
};
