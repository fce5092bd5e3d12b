import { type Rule, report } from "../../../core/rule.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/**
 * An include/exclude pattern that matches nothing in the baseline's database nor in the target's:
 * a typo, or a schema since renamed. A pattern that matches on one side only is doing its job (an
 * exclude for a staging-only scratch schema; an include whose objects then show as missing or
 * extra), so it is not reported. An include list that matches nothing means nothing there was
 * compared, so a clean audit would be a lie: an error. An exclude that matches nothing hides
 * nothing: a warning. Reported once, for the baseline, whatever the number of targets.
 */
export const schemaPatternUnmatched: Rule<SchemaRuleContext, "include" | "exclude"> = {
  meta: {
    id: "schema/pattern-unmatched",
    description:
      "A database include/exclude pattern (schemas, excludeSchemas, includeObjects, excludeObjects) matches nothing in the baseline nor in the target.",
    defaultSeverity: "warning",
    messageSeverities: { include: "error" },
    messages: {
      include:
        'database.{{field}}[{{index}}] "{{pattern}}" matches nothing in {{baseline}} nor in the target compared with it, so nothing it names was compared; fix the pattern',
      exclude:
        'database.{{field}}[{{index}}] "{{pattern}}" matches nothing in {{baseline}} nor in the target compared with it, and hides nothing; fix or remove it',
    },
  },
  check({ baseline, target, environments }) {
    const inTarget = new Set(
      (target.unmatchedPatterns ?? []).map((pattern) => `${pattern.field}\u0000${pattern.pattern}`),
    );
    const unmatchedOnBoth = (baseline.unmatchedPatterns ?? []).filter((pattern) =>
      inTarget.has(`${pattern.field}\u0000${pattern.pattern}`),
    );
    return unmatchedOnBoth.map((unmatched) =>
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
