// Operational settings that often differ on purpose between tiers but should do so visibly.

import { type FieldSpec, fieldFinding } from "../../checks/rds/field.ts";
import type { RdsRule } from "../../checks/rds/types.ts";

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

export const settingsRule: RdsRule = {
  meta: {
    id: "rds/setting",
    description:
      "Storage type, Multi-AZ, auto minor version upgrade, backup retention or deletion protection differ.",
    defaultSeverity: "warning",
  },
  check: (context) => SETTING_FIELDS.flatMap((field) => fieldFinding(settingsRule, field, context)),
};
