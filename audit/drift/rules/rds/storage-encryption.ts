// Staging holds (masked) clones of production data: unencrypted storage there is a real exposure,
// and the two cannot share snapshots either way. An error.

import type { Rule } from "../../../core/rule.ts";
import { FIELD_DIFFERS, fieldFinding } from "../../checks/rds/field.ts";
import type { RdsRuleContext } from "../../checks/rds/types.ts";

export const storageEncryptionRule: Rule<RdsRuleContext, "differs"> = {
  meta: {
    id: "rds/storage-encryption",
    description: "Storage encryption differs between the baseline and the target.",
    defaultSeverity: "error",
    messages: { differs: FIELD_DIFFERS },
  },
  check: (context) =>
    fieldFinding(
      storageEncryptionRule.meta,
      { object: "storage-encrypted", label: "storage encryption", get: (s) => s.storageEncrypted },
      context,
    ),
};
