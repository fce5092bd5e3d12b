import type { RuleMeta } from "../../../core/check.ts";
import { configKeysRules } from "../../rules/config/index.ts";

export { configKeysRules } from "../../rules/config/index.ts";
export { type ConfigKeysCheckOptions, configKeysCheck, createConfigKeysCheck } from "./check.ts";
export { markersIn, type ProductionMarker, productionMarkers, referencesIn } from "./markers.ts";
export { normalizePath, parseDotenv, parsePulumiStackConfig, readConfigKeys } from "./sources/index.ts";
export type {
  ConfigKey,
  ConfigKeysRule,
  ConfigKeysRuleContext,
  ConfigKeyType,
  ConfigSnapshot,
  ConfigSourceKind,
} from "./types.ts";

export const rules: RuleMeta[] = configKeysRules.map((rule) => rule.meta);
