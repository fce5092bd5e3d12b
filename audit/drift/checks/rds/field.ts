// Shared by the setting rules: one finding when a field differs, with a stable object name.
import { type Finding, makeFinding } from "../../../core/finding.ts";
import { type RdsRule, type RdsRuleContext, type RdsSnapshot, resourceObjectType } from "./types.ts";

export interface FieldSpec {
  /** The stable object name used in findings and the ignore list (`instance-class`). */
  object: string;
  /** Human label for messages (`instance class`). */
  label: string;
  get(snapshot: RdsSnapshot): string | number | boolean | undefined;
}

export function fieldFinding(
  rule: RdsRule,
  field: FieldSpec,
  { baseline, target }: RdsRuleContext,
): Finding[] {
  const expected = field.get(baseline);
  const actual = field.get(target);
  if (expected === actual || expected === undefined) return [];
  return [
    makeFinding({
      ruleId: rule.meta.id,
      severity: rule.meta.defaultSeverity,
      message: `${describe(target)} ${field.label} is ${show(actual)}, ${describe(baseline)} has ${show(expected)}`,
      environment: target.environment,
      objectType: resourceObjectType(target),
      object: field.object,
      expected,
      ...(actual !== undefined ? { actual } : {}),
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
