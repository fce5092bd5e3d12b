import { describe, expect, it } from "vitest";
import { LINT_RULE_IDS } from "../../audit/lint/rules/ids.ts";
import { lintRules } from "../../audit/lint/rules/index.ts";

describe("LINT_RULE_IDS", () => {
  it("names every lint rule, and only those, in lintRules' order", () => {
    expect(LINT_RULE_IDS).toEqual(lintRules.map((rule) => rule.meta.id));
  });
});
