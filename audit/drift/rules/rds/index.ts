// The static registry of RDS rules, sorted by id.

import { compareText } from "../../../core/compare-text.ts";
import type { RdsRule } from "../../checks/rds/types.ts";
import { engineRule } from "./engine.ts";
import { engineVersionRule } from "./engine-version.ts";
import { instanceClassRule } from "./instance-class.ts";
import { parameterRule } from "./parameter.ts";
import { parameterExtraRule } from "./parameter-extra.ts";
import { settingsRule } from "./setting.ts";
import { storageEncryptionRule } from "./storage-encryption.ts";

export const rdsRules: readonly RdsRule[] = [
  engineRule,
  engineVersionRule,
  instanceClassRule,
  parameterRule,
  parameterExtraRule,
  settingsRule,
  storageEncryptionRule,
].sort((a, b) => compareText(a.meta.id, b.meta.id));
