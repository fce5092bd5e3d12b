import { makeFinding } from "../../../core/finding.ts";
import { describeContents, describeObject, withContents } from "../../../schema/format.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/** An object only the target has (its children are not reported again). */
export const schemaExtra: SchemaRule = {
  meta: {
    id: "schema/extra",
    description: "The target database has an object the baseline does not.",
    defaultSeverity: "error",
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "extra"
        ? [
            makeFinding({
              ruleId: "schema/extra",
              severity: "error",
              message: `${describeObject(diff.object)} exists in ${environments.target} but not in ${environments.baseline}${describeContents(diff.contains)}`,
              environment: environments.target,
              objectType: diff.object.objectType,
              object: diff.object.name,
              actual: withContents(diff.object.props, diff.contains),
            }),
          ]
        : [],
    );
  },
};
