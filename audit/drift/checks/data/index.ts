// The data check: masking coverage, sequence divergence and data volume, over one DataSnapshot
// per environment. Reading does I/O (readDataSnapshot); the rules are pure functions of two snapshots.
import type { AuditCheck, DatabaseSpec } from "../../../core/check.ts";
import { compareFindings } from "../../../core/finding.ts";
import { metasOf, rulesByDomain } from "../../rules/index.ts";
import { readDataSnapshot } from "./read.ts";
import type { DataSnapshot } from "./types.ts";

export { piiKind } from "../../../masking/pii.ts";
export { readDataSnapshot } from "./read.ts";
export type { DataRuleContext, DataSnapshot } from "./types.ts";

export const dataCheck: AuditCheck<DatabaseSpec, DataSnapshot> = {
  id: "data",
  rules: metasOf("data"),
  read: readDataSnapshot,
  compare(baseline, target, environments) {
    return rulesByDomain.data
      .flatMap((rule) => rule.check({ baseline, target, environments }))
      .sort(compareFindings);
  },
};
