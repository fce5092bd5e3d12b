// Same major, different minor: usually auto minor upgrades landing on different days. Worth knowing
// (minor releases change planner and bug behaviour), rarely worth a red build.
import { type Rule, report } from "../../../core/rule.ts";
import { describe } from "../../checks/rds/field.ts";
import { type RdsRuleContext, resourceObjectType } from "../../checks/rds/types.ts";
import { majorVersion } from "./engine.ts";

export const engineVersionRule: Rule<RdsRuleContext, "differs"> = {
  meta: {
    id: "rds/engine-version",
    description: "The target runs the same engine major version but a different minor version.",
    defaultSeverity: "warning",
    messages: { differs: "{{target}} runs {{engine}} {{actual}}, {{baseline}} runs {{expected}}" },
  },
  check({ baseline, target }) {
    if (baseline.engine !== target.engine || baseline.engineVersion === target.engineVersion) return [];
    if (
      majorVersion(baseline.engine, baseline.engineVersion) !==
      majorVersion(target.engine, target.engineVersion)
    ) {
      return []; // rds/engine reports it
    }
    return [
      report(engineVersionRule.meta, {
        messageId: "differs",
        data: {
          target: describe(target),
          engine: target.engine,
          actual: target.engineVersion,
          baseline: describe(baseline),
          expected: baseline.engineVersion,
        },
        environment: target.environment,
        objectType: resourceObjectType(target),
        object: "engine-version",
        expected: baseline.engineVersion,
        actual: target.engineVersion,
      }),
    ];
  },
};
