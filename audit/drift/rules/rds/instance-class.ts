// Smaller staging hardware is normal and usually intended: a warning, to be accepted explicitly in
// the audit config's ignore list (objectType rds-instance|rds-cluster, object instance-class).

import { fieldFinding } from "../../checks/rds/field.ts";
import type { RdsRule } from "../../checks/rds/types.ts";

export const instanceClassRule: RdsRule = {
  meta: {
    id: "rds/instance-class",
    description: "The target uses a different DB instance class.",
    defaultSeverity: "warning",
  },
  check: (context) =>
    fieldFinding(
      instanceClassRule,
      { object: "instance-class", label: "instance class", get: (s) => s.instanceClass },
      context,
    ),
};
