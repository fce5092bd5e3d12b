export { expandVariables, formatPath } from "./expand.ts";
export { type LoadOptions, loadParityConfig, parseAuditConfig } from "./load.ts";
export type { EnvironmentSpec, IgnoreEntry, ParityConfig, PulumiDiscoverySpec } from "./types.ts";
