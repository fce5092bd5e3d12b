// A parameter only the target sets (a debugging log setting left on in staging, say): visible, but
// not a failed build.
import type { Finding } from "../../../core/finding.ts";
import { type Rule, report } from "../../../core/rule.ts";
import type { RdsRuleContext } from "../../checks/rds/types.ts";
import { groupLabel, parameterSets } from "./parameter.ts";

export const parameterExtraRule: Rule<RdsRuleContext, "extra"> = {
  meta: {
    id: "rds/parameter-extra",
    description: "The target's parameter group sets a parameter the baseline leaves at the engine default.",
    defaultSeverity: "warning",
    messages: {
      extra:
        "Parameter {{name}} is set to {{actual}} in {{target}} but left at the engine default in {{baseline}}",
    },
  },
  check(context) {
    const findings: Finding[] = [];
    for (const set of parameterSets(context)) {
      for (const [name, actual] of Object.entries(set.target)) {
        if (name in set.baseline) continue;
        findings.push(
          report(parameterExtraRule.meta, {
            messageId: "extra",
            data: {
              name,
              actual,
              target: groupLabel(context.target, set.objectType),
              baseline: groupLabel(context.baseline, set.objectType),
            },
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
