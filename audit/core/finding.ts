// The one shape every check reports, and the one helper that builds it.
import { compareNatural, compareText } from "./compare-text.ts";

export type Severity = "error" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export interface FindingLocation {
  /** The environment the finding is about (the target; the baseline for baseline-only problems). */
  environment: string;
  /** What kind of object: `table`, `column`, `index`, `config-key`, `rds-parameter`, `setting`, … */
  objectType: string;
  /** Qualified name, e.g. `public.orders.email`, `/app/staging/STRIPE_KEY`, `work_mem`. */
  object: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: FindingLocation;
  /** The baseline's value, where the rule compares values. */
  expected?: unknown;
  /** The target's value, where the rule compares values. */
  actual?: unknown;
  /** A unified diff (from the `diff` package) for changed definitions. */
  diff?: string;
}

export interface FindingInput {
  ruleId: string;
  severity: Severity;
  message: string;
  environment: string;
  objectType: string;
  object: string;
  expected?: unknown;
  actual?: unknown;
  diff?: string;
}

export function makeFinding(input: FindingInput): Finding {
  const finding: Finding = {
    ruleId: input.ruleId,
    severity: input.severity,
    message: input.message,
    location: { environment: input.environment, objectType: input.objectType, object: input.object },
  };
  if (input.expected !== undefined) finding.expected = input.expected;
  if (input.actual !== undefined) finding.actual = input.actual;
  if (input.diff !== undefined) finding.diff = input.diff;
  return finding;
}

/** Stable order for reports and tests: environment, rule, object (naturally: `t2` before `t10`). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareNatural(a.location.environment, b.location.environment) ||
    compareText(a.ruleId, b.ruleId) ||
    compareNatural(a.location.object, b.location.object)
  );
}
