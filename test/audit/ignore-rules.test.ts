// The ignore list's own rules on pure inputs (test/support/rule-tester.ts); ignore.test.ts shows
// them through applyIgnoreList, which decides what was used.
import { ignoreExpired } from "../../audit/drift/rules/audit/ignore-expired.ts";
import { ignoreUnused } from "../../audit/drift/rules/audit/ignore-unused.ts";
import type { IgnoreListContext } from "../../audit/drift/runner/ignore-list-context.ts";
import type { IgnoreEntry } from "../../audit/parity-config/types.ts";
import { testRule } from "../support/rule-tester.ts";

const NOW = new Date("2026-11-21T12:00:00Z");
const entry = (partial: Partial<IgnoreEntry> = {}): IgnoreEntry => ({
  index: 3,
  rule: "rds/instance-class",
  object: "*",
  reason: "smaller on purpose",
  ...partial,
});
const context = (entries: IgnoreEntry[], used: IgnoreEntry[] = []): IgnoreListContext => ({
  entries,
  used: new Set(used),
  now: NOW,
  environments: ["production", "staging"],
});

const active = entry({ until: "2026-11-21" });
const expired = entry({ until: "2026-11-20", environment: "staging" });

testRule(ignoreExpired, {
  valid: [
    { name: "no until", context: context([entry()]) },
    { name: "active through its whole last day", context: context([active]) },
  ],
  invalid: [
    {
      name: "the day after",
      context: context([expired, active]),
      findings: [
        {
          messageId: "expired",
          message:
            "ignore entry expired on 2026-11-20; the findings it hid are reported again (reason was: smaller on purpose)",
          severity: "warning",
          environment: "staging",
          objectType: "ignore-entry",
          object: "ignore[3] rds/instance-class *",
          expected: "until >= 2026-11-21",
          actual: "2026-11-20",
        },
      ],
    },
  ],
});

testRule(ignoreUnused, {
  valid: [
    { name: "an entry that hid something", context: context([active], [active]) },
    { name: "an expired entry is ignore-expired's", context: context([expired]) },
    {
      name: "an entry for an environment not in this run",
      context: context([entry({ environment: "preview-*" })]),
    },
  ],
  invalid: [
    {
      name: "an entry that hid nothing, for every environment",
      context: context([entry(), entry({ index: 4, environment: "stag*" })], []),
      findings: [
        {
          messageId: "unused",
          message: "ignore entry matched no finding; remove it, or fix its rule/object/environment pattern",
          severity: "warning",
          environment: "(all environments)",
          objectType: "ignore-entry",
          object: "ignore[3] rds/instance-class *",
        },
        {
          messageId: "unused",
          severity: "warning",
          environment: "stag*",
          object: "ignore[4] rds/instance-class *",
        },
      ],
    },
  ],
});
