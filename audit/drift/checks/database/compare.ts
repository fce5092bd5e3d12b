// Compares two snapshots: one pass of the differ, then every rule over its result.
import type { CompareContext } from "../../../core/check.ts";
import { compareFindings, type Finding } from "../../../core/finding.ts";
import { diffModels } from "../../../schema/differ.ts";
import type { DatabaseSnapshot } from "../../../schema/model.ts";
import { schemaRules } from "../../rules/schema/index.ts";

export function compareSnapshots(
  baseline: DatabaseSnapshot,
  target: DatabaseSnapshot,
  environments: CompareContext = { baseline: "baseline", target: "target" },
): Finding[] {
  const diffs = diffModels(baseline.objects, target.objects);
  const context = { baseline, target, diffs, environments };
  return schemaRules.flatMap((rule) => rule.check(context)).sort(compareFindings);
}
