import type { RuleMeta } from "../../../core/check.ts";
import { configRules } from "../../rules/config/index.ts";

export { configRules } from "../../rules/config/index.ts";
export { type ConfigCheckOptions, configCheck, createConfigCheck } from "./check.ts";
export { markersIn, type ProductionMarker, productionMarkers, referencesIn } from "./markers.ts";
export { normalizePath, parseDotenv, parsePulumiStackConfig, readConfigKeys } from "./sources/index.ts";
export type {
  ConfigKey,
  ConfigKeyType,
  ConfigRule,
  ConfigRuleContext,
  ConfigSnapshot,
  ConfigSourceKind,
} from "./types.ts";

export const rules: RuleMeta[] = configRules.map((rule) => rule.meta);
