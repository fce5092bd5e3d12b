// The static, sorted registry of schema and engine rules.
import type { RuleMeta } from "../../core/check.ts";
import { engineDefaultPrivilege } from "./engine-default-privilege.ts";
import { engineExtensionVersion } from "./engine-extension-version.ts";
import { engineLocale } from "./engine-locale.ts";
import { engineMajorVersion } from "./engine-major-version.ts";
import { engineMinorVersion } from "./engine-minor-version.ts";
import { engineSetting } from "./engine-setting.ts";
import { schemaChanged } from "./schema-changed.ts";
import { schemaDependent } from "./schema-dependent.ts";
import { schemaExtra } from "./schema-extra.ts";
import { schemaMissing } from "./schema-missing.ts";
import type { SchemaRule } from "./types.ts";

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
