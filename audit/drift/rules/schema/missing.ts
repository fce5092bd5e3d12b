import { type Rule, report } from "../../../core/rule.ts";
import { describeContents, describeObject, withContents } from "../../../schema/format.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/** An object the baseline has and the target lacks (its children are not reported again). */
export const schemaMissing: Rule<SchemaRuleContext, "missing"> = {
  meta: {
    id: "schema/missing",
    description: "An object in the baseline database is missing from the target.",
    defaultSeverity: "error",
    messages: { missing: "{{object}} exists in {{baseline}} but not in {{target}}{{contents}}" },
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "missing"
        ? [
            report(schemaMissing.meta, {
              messageId: "missing",
              data: {
                object: describeObject(diff.object),
                baseline: environments.baseline,
                target: environments.target,
                contents: describeContents(diff.contains),
              },
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
