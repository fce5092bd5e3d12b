// What every schema/engine rule sees, and the shape each rule file exports (ESLint-style).
import type { CompareContext, RuleMeta } from "../../../core/check.ts";
import type { Finding } from "../../../core/finding.ts";
import type { ObjectDiff } from "../../../schema/differ.ts";
import type { DatabaseSnapshot } from "../../../schema/model.ts";

export interface SchemaRuleContext {
  baseline: DatabaseSnapshot;
  target: DatabaseSnapshot;
  /** Object differences, computed once for all rules. */
  diffs: readonly ObjectDiff[];
  environments: CompareContext;
}

export interface SchemaRule {
  meta: RuleMeta;
  check(context: SchemaRuleContext): Finding[];
}
