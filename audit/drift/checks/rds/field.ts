// Shared by the setting rules: one finding when a field differs, with a stable object name.
import type { Finding } from "../../../core/finding.ts";
import { type RuleMeta, report } from "../../../core/rule.ts";
import { type RdsRuleContext, type RdsSnapshot, resourceObjectType } from "./types.ts";

export interface FieldSpec {
  /** The stable object name used in findings and the ignore list (`instance-class`). */
  object: string;
  /** Human label for messages (`instance class`). */
  label: string;
  get(snapshot: RdsSnapshot): string | number | boolean | undefined;
}

/** The message of every field rule (meta.messages.differs). */
export const FIELD_DIFFERS = "{{target}} {{label}} is {{actual}}, {{baseline}} has {{expected}}";

export function fieldFinding(
  meta: RuleMeta<"differs">,
  field: FieldSpec,
  { baseline, target }: RdsRuleContext,
): Finding[] {
  const expected = field.get(baseline);
  const actual = field.get(target);
  if (expected === actual || expected === undefined) return [];
  return [
    report(meta, {
      messageId: "differs",
      data: {
        target: describe(target),
        label: field.label,
        actual: show(actual),
        baseline: describe(baseline),
        expected: show(expected),
      },
      environment: target.environment,
      objectType: resourceObjectType(target),
      object: field.object,
      expected,
      actual,
    }),
  ];
}

/** "staging's DB instance shop-staging" */
export function describe(snapshot: RdsSnapshot): string {
  return `${snapshot.environment}'s DB ${snapshot.kind} ${snapshot.identifier}`;
}

function show(value: unknown): string {
  return value === undefined ? "(not reported)" : String(value);
}
