// Same major, different minor: usually auto minor upgrades landing on different days. Worth knowing
// (minor releases change planner and bug behaviour), rarely worth a red build.
import { makeFinding } from "../../../core/finding.ts";
import { describe } from "../../checks/rds/field.ts";
import { type RdsRule, resourceObjectType } from "../../checks/rds/types.ts";
import { majorVersion } from "./engine.ts";

export const engineVersionRule: RdsRule = {
  meta: {
    id: "rds/engine-version",
    description: "The target runs the same engine major version but a different minor version.",
    defaultSeverity: "warning",
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
      makeFinding({
        ruleId: engineVersionRule.meta.id,
        severity: engineVersionRule.meta.defaultSeverity,
        message: `${describe(target)} runs ${target.engine} ${target.engineVersion}, ${describe(baseline)} runs ${baseline.engineVersion}`,
        environment: target.environment,
        objectType: resourceObjectType(target),
        object: "engine-version",
        expected: baseline.engineVersion,
        actual: target.engineVersion,
      }),
    ];
  },
};
