// data/volume: staging with 200 rows where production has 1.4 million runs migrations in a blink and
// picks different query plans, so "it was fast on staging" means nothing.
import { type Rule, report } from "../../../core/rule.ts";
import type { DataRuleContext } from "../../checks/data/types.ts";

/** Below this many baseline rows the comparison is noise (lookup tables, fresh features). */
export const MIN_BASELINE_ROWS = 1000;

export const dataVolume: Rule<DataRuleContext, "noEstimate" | "tooFew"> = {
  meta: {
    id: "data/volume",
    description:
      "A table's row estimate in the target is far below the baseline's (minRowRatio, default 0.1).",
    defaultSeverity: "warning",
    messages: {
      noEstimate:
        "{{table}}: no row estimate in {{target}} (never analyzed, no statistics); run ANALYZE to compare it with {{baseline}}'s ~{{baselineRows}} rows",
      tooFew:
        "{{table}}: ~{{rows}} rows in {{target}} against ~{{baselineRows}} in {{baseline}} (below the {{ratio}} ratio, {{threshold}} rows); migrations and query plans will behave differently",
    },
    // Nothing to compare yet, only a hint to run ANALYZE.
    messageSeverities: { noEstimate: "info" },
  },
  check({ baseline, target, environments }) {
    const baselineRows = new Map(baseline.volumes.map((volume) => [volume.table, volume]));
    return target.volumes.flatMap((volume) => {
      const other = baselineRows.get(volume.table);
      if (!other || other.rows === null || other.rows < MIN_BASELINE_ROWS) return [];
      if (volume.rows === null) {
        return [
          report(dataVolume.meta, {
            messageId: "noEstimate",
            data: {
              table: volume.table,
              target: environments.target,
              baseline: environments.baseline,
              baselineRows: other.rows,
            },
            environment: target.environment,
            objectType: "table",
            object: volume.table,
            expected: other.rows,
          }),
        ];
      }
      const threshold = other.rows * target.minRowRatio;
      if (volume.rows >= threshold) return [];
      return [
        report(dataVolume.meta, {
          messageId: "tooFew",
          data: {
            table: volume.table,
            rows: volume.rows,
            target: environments.target,
            baselineRows: other.rows,
            baseline: environments.baseline,
            ratio: target.minRowRatio,
            threshold: Math.ceil(threshold),
          },
          environment: target.environment,
          objectType: "table",
          object: volume.table,
          expected: other.rows,
          actual: volume.rows,
        }),
      ];
    });
  },
};
