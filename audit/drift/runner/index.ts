export { matchesPattern } from "../../core/patterns.ts";
export {
  applyIgnoreList,
  describeEntry,
  entryMatches,
  IGNORE_RULES,
  type IgnoredFinding,
  type IgnoreOutcome,
  ignoreListRules,
  isExpired,
} from "./ignore.ts";
export type * from "./result.ts";
export { SOURCE_KINDS } from "./result.ts";
export { type ProgressEvent, type RunAuditOptions, runAudit } from "./run-audit.ts";
