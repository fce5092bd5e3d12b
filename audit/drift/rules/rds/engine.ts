// A different engine or major version: staging tests another database than production runs.
import { type Rule, report } from "../../../core/rule.ts";
import { describe } from "../../checks/rds/field.ts";
import { type RdsRuleContext, resourceObjectType } from "../../checks/rds/types.ts";

/** PostgreSQL 10+ majors are one number (15.4 → 15); older and MySQL ones are two (9.6.24 → 9.6, 8.0.35 → 8.0). */
export function majorVersion(engine: string, version: string): string {
  const parts = version.split(".");
  const first = Number(parts[0]);
  if (engine.includes("postgres") && first >= 10) return parts[0] ?? version;
  return parts.slice(0, 2).join(".");
}

export const engineRule: Rule<RdsRuleContext, "otherEngine" | "otherMajor"> = {
  meta: {
    id: "rds/engine",
    description: "The target runs a different database engine or engine major version.",
    defaultSeverity: "error",
    messages: {
      otherEngine:
        "{{target}} runs {{engine}} {{version}}, {{baseline}} runs {{baselineEngine}} {{baselineVersion}}",
      otherMajor:
        "{{target}} runs {{engine}} major version {{major}} ({{version}}), {{baseline}} runs {{baselineMajor}} ({{baselineVersion}})",
    },
  },
  check({ baseline, target }) {
    const where = { environment: target.environment, objectType: resourceObjectType(target) };
    const data = {
      target: describe(target),
      engine: target.engine,
      version: target.engineVersion,
      baseline: describe(baseline),
      baselineEngine: baseline.engine,
      baselineVersion: baseline.engineVersion,
    };
    if (baseline.engine !== target.engine) {
      return [
        report(engineRule.meta, {
          messageId: "otherEngine",
          data,
          ...where,
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
      report(engineRule.meta, {
        messageId: "otherMajor",
        data: { ...data, major: actual, baselineMajor: expected },
        ...where,
        object: "engine-version",
        expected: baseline.engineVersion,
        actual: target.engineVersion,
      }),
    ];
  },
};
