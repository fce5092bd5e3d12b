// What every schema/engine rule sees: both snapshots and the differ's result, computed once.
import type { CompareContext } from "../../../core/check.ts";
import type { ObjectDiff } from "../../../schema/differ.ts";
import type { DatabaseSnapshot } from "../../../schema/model.ts";

export interface SchemaRuleContext {
  baseline: DatabaseSnapshot;
  target: DatabaseSnapshot;
  /** Object differences, computed once for all rules. */
  diffs: readonly ObjectDiff[];
  environments: CompareContext;
}
