import { makeFinding } from "../../../core/finding.ts";
import { describeContents, describeObject, withContents } from "../../../schema/format.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/** An object the baseline has and the target lacks (its children are not reported again). */
export const schemaMissing: SchemaRule = {
  meta: {
    id: "schema/missing",
    description: "An object in the baseline database is missing from the target.",
    defaultSeverity: "error",
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "missing"
        ? [
            makeFinding({
              ruleId: "schema/missing",
              severity: "error",
              message: `${describeObject(diff.object)} exists in ${environments.baseline} but not in ${environments.target}${describeContents(diff.contains)}`,
              environment: environments.target,
              objectType: diff.object.objectType,
              object: diff.object.name,
              expected: withContents(diff.object.props, diff.contains),
            }),
          ]
        : [],
    );
  },
};
