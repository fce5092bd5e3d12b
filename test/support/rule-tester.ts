// One rule tester for every rule, after ESLint's RuleTester: a table of valid contexts (no finding)
// and of invalid ones, each listing exactly the findings it must produce, in order. For each
// expected finding the tester asserts the rule id, the severity, the object, and the message,
// either as text or as a messageId of the rule's meta (with `data`, the exact interpolation; without,
// the template with any text in its placeholders). It also asserts that the invalid cases between
// them use every message the rule declares, so no message goes untested.
import { describe, expect, it } from "vitest";
import type { Finding, Severity } from "../../audit/core/finding.ts";
import { interpolate, type MessageData, type Rule } from "../../audit/core/rule.ts";

export interface ExpectedFinding {
  messageId?: string;
  /** Placeholder values: with them the message must be exactly the interpolated template. */
  data?: MessageData;
  /** The whole message, or a pattern it must match. */
  message?: string | RegExp;
  severity: Severity;
  object: string;
  objectType?: string;
  environment?: string;
  /** Compared with toEqual when given (use `undefined` to assert the field is absent). */
  expected?: unknown;
  actual?: unknown;
}

export interface ValidCase<Context> {
  name: string;
  context: Context;
}

export interface InvalidCase<Context> {
  name: string;
  context: Context;
  findings: readonly ExpectedFinding[];
}

export interface RuleCases<Context> {
  valid: readonly ValidCase<Context>[];
  invalid: readonly InvalidCase<Context>[];
}

/** A template as a pattern: its text literally, each `{{placeholder}}` as any text. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/);
  return new RegExp(
    `^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*")}$`,
  );
}

/** The assertions for one finding; exported so the tester's own test can show it fails. */
export function assertFinding<Context>(rule: Rule<Context>, finding: Finding, want: ExpectedFinding): void {
  expect(finding.ruleId, "ruleId").toBe(rule.meta.id);
  expect(finding.severity, "severity").toBe(want.severity);
  expect(finding.location.object, "object").toBe(want.object);
  if (want.objectType !== undefined) expect(finding.location.objectType, "objectType").toBe(want.objectType);
  if (want.environment !== undefined)
    expect(finding.location.environment, "environment").toBe(want.environment);
  if (want.messageId === undefined && want.message === undefined) {
    throw new Error(`${rule.meta.id}: an expected finding names its messageId or its message`);
  }
  if (want.messageId !== undefined) {
    const template = (rule.meta.messages as Record<string, string>)[want.messageId];
    expect(template, `meta.messages.${want.messageId}`).toBeDefined();
    if (template !== undefined) {
      if (want.data !== undefined) expect(finding.message, "message").toBe(interpolate(template, want.data));
      else expect(finding.message, "message").toMatch(templatePattern(template));
    }
  }
  if (typeof want.message === "string") expect(finding.message, "message").toBe(want.message);
  else if (want.message !== undefined) expect(finding.message, "message").toMatch(want.message);
  if ("expected" in want) expect(finding.expected, "expected").toEqual(want.expected);
  if ("actual" in want) expect(finding.actual, "actual").toEqual(want.actual);
}

/** Runs the cases against the rule; call it at the top level of a test file (it adds a describe). */
export function testRule<Context>(rule: Rule<Context>, cases: RuleCases<Context>): void {
  describe(rule.meta.id, () => {
    if (cases.valid.length > 0) {
      it.each(cases.valid.map((c) => [c.name, c] as const))("valid: %s", (_name, { context }) => {
        expect(rule.check(context)).toEqual([]);
      });
    }
    it.each(cases.invalid.map((c) => [c.name, c] as const))("invalid: %s", (_name, { context, findings }) => {
      const reported = rule.check(context);
      expect(
        reported.length,
        `${findings.length} finding(s) expected, got: ${reported.map((f) => f.message).join(" | ")}`,
      ).toBe(findings.length);
      findings.forEach((want, index) => {
        assertFinding(rule, reported[index] as Finding, want);
      });
    });
    it("has an invalid case for every message", () => {
      const used = new Set(cases.invalid.flatMap((c) => c.findings.map((f) => f.messageId)));
      expect(Object.keys(rule.meta.messages).filter((id) => !used.has(id))).toEqual([]);
    });
  });
}
