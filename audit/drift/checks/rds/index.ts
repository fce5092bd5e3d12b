import type { RuleMeta } from "../../../core/check.ts";
import { rdsRules } from "../../rules/rds/index.ts";

export { majorVersion } from "../../rules/rds/engine.ts";
export { rdsRules } from "../../rules/rds/index.ts";
export { SETTING_FIELDS } from "../../rules/rds/setting.ts";
export { createRdsCheck, rdsCheck } from "./check.ts";
export type { RdsReadOptions } from "./read.ts";
export type { RdsClusterMember, RdsKind, RdsRule, RdsRuleContext, RdsSnapshot } from "./types.ts";

export const rules: RuleMeta[] = rdsRules.map((rule) => rule.meta);
