// An entry that hid nothing is a typo or a fixed drift: reported, so the ignore list does not rot.
// Entries only for environments this run did not audit are left alone (they had no chance to match).
import { type Rule, report } from "../../../core/rule.ts";
import { appliesToEnvironments, describeEntry, isExpired } from "../../../parity-config/ignore-entry.ts";
import type { IgnoreListContext } from "../../runner/ignore-list-context.ts";

export const ignoreUnused: Rule<IgnoreListContext, "unused"> = {
  meta: {
    id: "audit/ignore-unused",
    description:
      "An ignore entry matched no finding in this run (entries for environments not audited are not checked).",
    defaultSeverity: "warning",
    messages: {
      unused: "ignore entry matched no finding; remove it, or fix its rule/object/environment pattern",
    },
  },
  check({ entries, used, now, environments }) {
    return (
      entries
        // An expired entry hides nothing by design; audit/ignore-expired reports it instead.
        .filter((entry) => !isExpired(entry, now) && !used.has(entry))
        .filter((entry) => appliesToEnvironments(entry, environments))
        .map((entry) =>
          report(ignoreUnused.meta, {
            messageId: "unused",
            environment: entry.environment ?? "(all environments)",
            objectType: "ignore-entry",
            object: describeEntry(entry),
          }),
        )
    );
  },
};
