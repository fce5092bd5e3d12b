// Staging holds (masked) clones of production data: unencrypted storage there is a real exposure,
// and the two cannot share snapshots either way. An error.

import { fieldFinding } from "../../checks/rds/field.ts";
import type { RdsRule } from "../../checks/rds/types.ts";

export const storageEncryptionRule: RdsRule = {
  meta: {
    id: "rds/storage-encryption",
    description: "Storage encryption differs between the baseline and the target.",
    defaultSeverity: "error",
  },
  check: (context) =>
    fieldFinding(
      storageEncryptionRule,
      { object: "storage-encrypted", label: "storage encryption", get: (s) => s.storageEncrypted },
      context,
    ),
};
