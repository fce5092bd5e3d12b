import { type Rule, report } from "../../../core/rule.ts";
import { describeContents, describeObject, withContents } from "../../../schema/format.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/** An object only the target has (its children are not reported again). */
export const schemaExtra: Rule<SchemaRuleContext, "extra"> = {
  meta: {
    id: "schema/extra",
    description: "The target database has an object the baseline does not.",
    defaultSeverity: "error",
    messages: { extra: "{{object}} exists in {{target}} but not in {{baseline}}{{contents}}" },
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "extra"
        ? [
            report(schemaExtra.meta, {
              messageId: "extra",
              data: {
                object: describeObject(diff.object),
                target: environments.target,
                baseline: environments.baseline,
                contents: describeContents(diff.contains),
              },
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
