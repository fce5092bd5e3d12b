// Compares two snapshots: one pass of the differ, then every rule over its result.
import type { CompareContext } from "../../../core/check.ts";
import { compareFindings, type Finding } from "../../../core/finding.ts";
import { diffModels } from "../../../schema/differ.ts";
import type { DatabaseSnapshot } from "../../../schema/model.ts";
import { mapBaselineRoles } from "../../../schema/roles.ts";
import { rulesByDomain } from "../../rules/index.ts";

/** The database check runs the engine and the schema rules over one differ pass. */
const databaseRules = [...rulesByDomain.engine, ...rulesByDomain.schema];

export function compareSnapshots(
  baseline: DatabaseSnapshot,
  target: DatabaseSnapshot,
  environments: CompareContext = { baseline: "baseline", target: "target" },
): Finding[] {
  // The baseline's role names in the target's terms first: mapped names that match are no drift.
  const diffs = diffModels(mapBaselineRoles(baseline.objects, target.roleMap), target.objects);
  const context = { baseline, target, diffs, environments };
  return databaseRules.flatMap((rule) => rule.check(context)).sort(compareFindings);
}
