// Operational settings that often differ on purpose between tiers but should do so visibly.

import type { Rule } from "../../../core/rule.ts";
import { FIELD_DIFFERS, type FieldSpec, fieldFinding } from "../../checks/rds/field.ts";
import type { RdsRuleContext } from "../../checks/rds/types.ts";

export const SETTING_FIELDS: readonly FieldSpec[] = [
  { object: "kind", label: "kind (instance or cluster)", get: (s) => s.kind },
  { object: "storage-type", label: "storage type", get: (s) => s.storageType },
  { object: "multi-az", label: "Multi-AZ", get: (s) => s.multiAZ },
  {
    object: "auto-minor-version-upgrade",
    label: "auto minor version upgrade",
    get: (s) => s.autoMinorVersionUpgrade,
  },
  { object: "backup-retention", label: "backup retention (days)", get: (s) => s.backupRetentionPeriod },
  { object: "deletion-protection", label: "deletion protection", get: (s) => s.deletionProtection },
];

export const settingsRule: Rule<RdsRuleContext, "differs"> = {
  meta: {
    id: "rds/setting",
    description:
      "Storage type, Multi-AZ, auto minor version upgrade, backup retention or deletion protection differ.",
    defaultSeverity: "warning",
    messages: { differs: FIELD_DIFFERS },
  },
  check: (context) => SETTING_FIELDS.flatMap((field) => fieldFinding(settingsRule.meta, field, context)),
};
