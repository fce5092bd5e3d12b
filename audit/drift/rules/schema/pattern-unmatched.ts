import { type Rule, report } from "../../../core/rule.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/**
 * An include/exclude pattern of the baseline's database that matches nothing in it: a typo, or a
 * schema since renamed. An include list that matches nothing means nothing there was compared, so
 * a clean audit would be a lie: an error. An exclude that matches nothing hides nothing: a warning.
 * Reported once, for the baseline, whatever the number of targets.
 */
export const schemaPatternUnmatched: Rule<SchemaRuleContext, "include" | "exclude"> = {
  meta: {
    id: "schema/pattern-unmatched",
    description:
      "A database include/exclude pattern (schemas, excludeSchemas, includeObjects, excludeObjects) matches nothing in the baseline.",
    defaultSeverity: "warning",
    messageSeverities: { include: "error" },
    messages: {
      include:
        'database.{{field}}[{{index}}] "{{pattern}}" matches nothing in {{baseline}}, so nothing it names was compared; fix the pattern',
      exclude:
        'database.{{field}}[{{index}}] "{{pattern}}" matches nothing in {{baseline}} and hides nothing; fix or remove it',
    },
  },
  check({ baseline, environments }) {
    return (baseline.unmatchedPatterns ?? []).map((unmatched) =>
      report(schemaPatternUnmatched.meta, {
        messageId: unmatched.field.startsWith("exclude") ? "exclude" : "include",
        data: {
          field: unmatched.field,
          index: unmatched.index,
          pattern: unmatched.pattern,
          baseline: environments.baseline,
        },
        environment: environments.baseline,
        objectType: "config-pattern",
        object: `database.${unmatched.field}[${unmatched.index}]`,
      }),
    );
  },
};
