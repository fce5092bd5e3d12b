import { type Rule, report } from "../../../core/rule.ts";
import { describeObject } from "../../../schema/format.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/**
 * An object that is identical on both sides but built on one that differs (a view over a column
 * whose enum type changed). Informational: it names what a migration will have to recreate.
 */
export const schemaDependent: Rule<SchemaRuleContext, "dependsOnChanged"> = {
  meta: {
    id: "schema/dependent",
    description: "An unchanged object depends on an object that differs, so migrating must recreate it.",
    defaultSeverity: "info",
    messages: { dependsOnChanged: "{{object}} is unchanged but depends on {{cause}}, which differs" },
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "dependent"
        ? [
            report(schemaDependent.meta, {
              messageId: "dependsOnChanged",
              data: { object: describeObject(diff.object), cause: describeObject(diff.cause) },
              environment: environments.target,
              objectType: diff.object.objectType,
              object: diff.object.name,
            }),
          ]
        : [],
    );
  },
};
