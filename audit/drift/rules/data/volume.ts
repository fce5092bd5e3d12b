// data/volume: staging with 200 rows where production has 1.4 million runs migrations in a blink and
// picks different query plans, so "it was fast on staging" means nothing.
import { makeFinding } from "../../../core/finding.ts";
import type { DataRule } from "../../checks/data/types.ts";

const ID = "data/volume";

/** Below this many baseline rows the comparison is noise (lookup tables, fresh features). */
export const MIN_BASELINE_ROWS = 1000;

export const dataVolume: DataRule = {
  meta: {
    id: ID,
    description:
      "A table's row estimate in the target is far below the baseline's (minRowRatio, default 0.1).",
    defaultSeverity: "warning",
  },
  check({ baseline, target, environments }) {
    const baselineRows = new Map(baseline.volumes.map((volume) => [volume.table, volume]));
    return target.volumes.flatMap((volume) => {
      const other = baselineRows.get(volume.table);
      if (!other || other.rows === null || other.rows < MIN_BASELINE_ROWS) return [];
      if (volume.rows === null) {
        return [
          makeFinding({
            ruleId: ID,
            severity: "info",
            message: `${volume.table}: no row estimate in ${environments.target} (never analyzed, no statistics); run ANALYZE to compare it with ${environments.baseline}'s ~${other.rows} rows`,
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
        makeFinding({
          ruleId: ID,
          severity: "warning",
          message: `${volume.table}: ~${volume.rows} rows in ${environments.target} against ~${other.rows} in ${environments.baseline} (below the ${target.minRowRatio} ratio, ${Math.ceil(threshold)} rows); migrations and query plans will behave differently`,
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
