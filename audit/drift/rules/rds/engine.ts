// A different engine or major version: staging tests another database than production runs.
import { makeFinding } from "../../../core/finding.ts";
import { describe } from "../../checks/rds/field.ts";
import { type RdsRule, resourceObjectType } from "../../checks/rds/types.ts";

/** PostgreSQL 10+ majors are one number (15.4 → 15); older and MySQL ones are two (9.6.24 → 9.6, 8.0.35 → 8.0). */
export function majorVersion(engine: string, version: string): string {
  const parts = version.split(".");
  const first = Number(parts[0]);
  if (engine.includes("postgres") && first >= 10) return parts[0] ?? version;
  return parts.slice(0, 2).join(".");
}

export const engineRule: RdsRule = {
  meta: {
    id: "rds/engine",
    description: "The target runs a different database engine or engine major version.",
    defaultSeverity: "error",
  },
  check({ baseline, target }) {
    const base = {
      ruleId: engineRule.meta.id,
      severity: engineRule.meta.defaultSeverity,
      environment: target.environment,
      objectType: resourceObjectType(target),
    };
    if (baseline.engine !== target.engine) {
      return [
        makeFinding({
          ...base,
          message: `${describe(target)} runs ${target.engine} ${target.engineVersion}, ${describe(baseline)} runs ${baseline.engine} ${baseline.engineVersion}`,
          object: "engine",
          expected: baseline.engine,
          actual: target.engine,
        }),
      ];
    }
    const expected = majorVersion(baseline.engine, baseline.engineVersion);
    const actual = majorVersion(target.engine, target.engineVersion);
    if (expected === actual) return [];
    return [
      makeFinding({
        ...base,
        message: `${describe(target)} runs ${target.engine} major version ${actual} (${target.engineVersion}), ${describe(baseline)} runs ${expected} (${baseline.engineVersion})`,
        object: "engine-version",
        expected: baseline.engineVersion,
        actual: target.engineVersion,
      }),
    ];
  },
};
