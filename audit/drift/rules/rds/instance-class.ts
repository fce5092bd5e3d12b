// Smaller staging hardware is normal and usually intended: a warning, to be accepted explicitly in
// the audit config's ignore list (objectType rds-instance|rds-cluster, object instance-class).

import type { Rule } from "../../../core/rule.ts";
import { FIELD_DIFFERS, fieldFinding } from "../../checks/rds/field.ts";
import type { RdsRuleContext } from "../../checks/rds/types.ts";

export const instanceClassRule: Rule<RdsRuleContext, "differs"> = {
  meta: {
    id: "rds/instance-class",
    description: "The target uses a different DB instance class.",
    defaultSeverity: "warning",
    messages: { differs: FIELD_DIFFERS },
  },
  check: (context) =>
    fieldFinding(
      instanceClassRule.meta,
      { object: "instance-class", label: "instance class", get: (s) => s.instanceClass },
      context,
    ),
};
