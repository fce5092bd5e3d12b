export { type ConfigKeysCheckOptions, configKeysCheck, createConfigKeysCheck } from "./check.ts";
export { markersIn, type ProductionMarker, productionMarkers, referencesIn } from "./markers.ts";
export { normalizePath, parseDotenv, parsePulumiStackConfig, readConfigKeys } from "./sources/index.ts";
export type {
  ConfigKey,
  ConfigKeysRuleContext,
  ConfigKeyType,
  ConfigSnapshot,
  ConfigSourceKind,
} from "./types.ts";
