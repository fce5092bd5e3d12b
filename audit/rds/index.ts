import type { RuleMeta } from "../core/check.ts";
import { rdsRules } from "./rules/index.ts";

export { createRdsCheck, rdsCheck } from "./check.ts";
export type { RdsReadOptions } from "./read.ts";
export { majorVersion } from "./rules/engine.ts";
export { rdsRules } from "./rules/index.ts";
export { SETTING_FIELDS } from "./rules/settings.ts";
export type { RdsClusterMember, RdsKind, RdsRule, RdsRuleContext, RdsSnapshot } from "./types.ts";

export const rules: RuleMeta[] = rdsRules.map((rule) => rule.meta);
