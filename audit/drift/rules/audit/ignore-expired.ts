// A temporary exception must not become a permanent one: past its `until` day an entry stops hiding
// (the runner no longer applies it) and is reported itself, so somebody renews or removes it.
import { type Rule, report } from "../../../core/rule.ts";
import { describeEntry, isExpired } from "../../../parity-config/ignore-entry.ts";
import type { IgnoreListContext } from "../../runner/ignore-list-context.ts";

export const ignoreExpired: Rule<IgnoreListContext, "expired"> = {
  meta: {
    id: "audit/ignore-expired",
    description:
      "An ignore entry's `until` date has passed: the findings it hid are reported again (the entry is active through that whole day, UTC).",
    defaultSeverity: "warning",
    messages: {
      expired:
        "ignore entry expired on {{until}}; the findings it hid are reported again (reason was: {{reason}})",
    },
  },
  check({ entries, now }) {
    const today = now.toISOString().slice(0, 10);
    return entries
      .filter((entry) => isExpired(entry, now))
      .map((entry) =>
        report(ignoreExpired.meta, {
          messageId: "expired",
          data: { until: entry.until ?? "", reason: entry.reason },
          environment: entry.environment ?? "(all environments)",
          objectType: "ignore-entry",
          object: describeEntry(entry),
          expected: `until >= ${today}`,
          actual: entry.until,
        }),
      );
  },
};
