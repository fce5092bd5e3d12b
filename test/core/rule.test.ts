// The rule convention's helpers: interpolation, report() stamping id and severity from meta, the one
// place configured severities apply, and the rule tester itself (it must fail on a wrong finding).
import { describe, expect, it } from "vitest";
import { interpolate, type Rule, report } from "../../audit/core/rule.ts";
import { assertFinding } from "../support/rule-tester.ts";

const rule: Rule<{ names: string[] }, "seen" | "hint"> = {
  meta: {
    id: "demo/seen",
    description: "Reports every name it is given.",
    defaultSeverity: "error",
    messages: { seen: "saw {{name}} in {{ where }}", hint: "only a hint about {{name}}" },
    messageSeverities: { hint: "info" },
  },
  check: ({ names }) =>
    names.map((name) =>
      report(rule.meta, {
        messageId: name.startsWith("h") ? "hint" : "seen",
        data: { name, where: "staging" },
        environment: "staging",
        objectType: "thing",
        object: name,
        expected: undefined,
        actual: 1,
      }),
    ),
};

describe("interpolate", () => {
  it.each([
    ["a {{x}} b", { x: "1" }, "a 1 b"],
    ["{{ x }}{{x}}", { x: 2 }, "22"],
    ["{{x}} and {{y}}", { x: "{{y}}", y: "Y" }, "{{y}} and Y"],
    ["{{missing}} stays", {}, "{{missing}} stays"],
    ["{{toString}} is not inherited", {}, "{{toString}} is not inherited"],
  ])("%j with %j → %j", (template, data, expected) => {
    expect(interpolate(template, data)).toBe(expected);
  });
});

it("interpolates a bigint as its digits", () => {
  expect(interpolate("big {{n}}", { n: 10n ** 20n })).toBe("big 100000000000000000000");
});

describe("report", () => {
  it("stamps the rule's id and default severity and builds the one Finding shape", () => {
    expect(rule.check({ names: ["a"] })).toEqual([
      {
        ruleId: "demo/seen",
        severity: "error",
        message: "saw a in staging",
        location: { environment: "staging", objectType: "thing", object: "a" },
        actual: 1,
      },
    ]);
    // Keys in the Finding's own order, and no undefined fields, so JSON reports stay byte-identical.
    expect(Object.keys(rule.check({ names: ["a"] })[0] ?? {})).toEqual([
      "ruleId",
      "severity",
      "message",
      "location",
      "actual",
    ]);
  });

  it("takes a message's own severity from meta", () => {
    expect(rule.check({ names: ["h1"] })[0]?.severity).toBe("info");
  });

  it("refuses a messageId the rule does not declare", () => {
    const broken = { ...rule.meta, messages: {} } as unknown as typeof rule.meta;
    expect(() =>
      report(broken, { messageId: "seen", environment: "e", objectType: "t", object: "o" }),
    ).toThrow(/demo\/seen: no message "seen"/);
  });
});

describe("the rule tester", () => {
  const [finding] = rule.check({ names: ["a"] });
  const right = { messageId: "seen", severity: "error" as const, object: "a", actual: 1 };

  it("accepts the finding the rule reports", () => {
    if (!finding) throw new Error("no finding");
    expect(() => assertFinding(rule, finding, right)).not.toThrow();
    expect(() =>
      assertFinding(rule, finding, { ...right, data: { name: "a", where: "staging" } }),
    ).not.toThrow();
  });

  it.each([
    ["another severity", { severity: "warning" as const }],
    ["another object", { object: "b" }],
    ["another messageId", { messageId: "hint" }],
    ["a messageId the rule lacks", { messageId: "nope" }],
    ["other data", { data: { name: "b", where: "staging" } }],
    ["another message", { message: "saw b in staging" }],
    ["another actual", { actual: 2 }],
    ["an expected value it does not have", { expected: 1 }],
    ["neither messageId nor message", { messageId: undefined }],
  ])("fails on %s", (_name, change) => {
    if (!finding) throw new Error("no finding");
    expect(() => assertFinding(rule, finding, { ...right, ...change })).toThrow();
  });
});
