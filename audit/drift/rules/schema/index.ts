// The static, sorted registry of schema and engine rules.
import type { RuleMeta } from "../../../core/check.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";
import { engineDefaultPrivilege } from "../engine/default-privilege.ts";
import { engineExtensionVersion } from "../engine/extension-version.ts";
import { engineLocale } from "../engine/locale.ts";
import { engineMajorVersion } from "../engine/major-version.ts";
import { engineMinorVersion } from "../engine/minor-version.ts";
import { engineSetting } from "../engine/setting.ts";
import { schemaChanged } from "./changed.ts";
import { schemaDependent } from "./dependent.ts";
import { schemaExtra } from "./extra.ts";
import { schemaMissing } from "./missing.ts";

export const schemaRules: readonly SchemaRule[] = [
  engineDefaultPrivilege,
  engineExtensionVersion,
  engineLocale,
  engineMajorVersion,
  engineMinorVersion,
  engineSetting,
  schemaChanged,
  schemaDependent,
  schemaExtra,
  schemaMissing,
];

export const rules: RuleMeta[] = schemaRules.map((rule) => rule.meta);
