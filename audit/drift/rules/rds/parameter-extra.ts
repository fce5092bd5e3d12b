// A parameter only the target sets (a debugging log setting left on in staging, say): visible, but
// not a failed build.
import { type Finding, makeFinding } from "../../../core/finding.ts";
import type { RdsRule } from "../../checks/rds/types.ts";
import { groupLabel, parameterSets } from "./parameter.ts";

export const parameterExtraRule: RdsRule = {
  meta: {
    id: "rds/parameter-extra",
    description: "The target's parameter group sets a parameter the baseline leaves at the engine default.",
    defaultSeverity: "warning",
  },
  check(context) {
    const findings: Finding[] = [];
    for (const set of parameterSets(context)) {
      for (const [name, actual] of Object.entries(set.target)) {
        if (name in set.baseline) continue;
        findings.push(
          makeFinding({
            ruleId: parameterExtraRule.meta.id,
            severity: parameterExtraRule.meta.defaultSeverity,
            message: `Parameter ${name} is set to ${actual} in ${groupLabel(context.target, set.objectType)} but left at the engine default in ${groupLabel(context.baseline, set.objectType)}`,
            environment: context.target.environment,
            objectType: set.objectType,
            object: name,
            actual,
          }),
        );
      }
    }
    return findings;
  },
};
