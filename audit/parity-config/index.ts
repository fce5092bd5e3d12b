export { expandVariables, formatPath } from "./expand.ts";
export { type LoadOptions, loadAuditConfig, parseAuditConfig } from "./load.ts";
export type { AuditConfig, EnvironmentSpec, IgnoreEntry, PulumiDiscoverySpec } from "./types.ts";
