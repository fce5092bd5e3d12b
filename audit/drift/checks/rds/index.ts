export { majorVersion } from "../../rules/rds/engine.ts";
export { SETTING_FIELDS } from "../../rules/rds/setting.ts";
export { createRdsCheck, rdsCheck } from "./check.ts";
export type { RdsReadOptions } from "./read.ts";
export type { RdsClusterMember, RdsKind, RdsRuleContext, RdsSnapshot } from "./types.ts";
