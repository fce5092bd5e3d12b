// What a run's comparisons add up to, as a pure function: the ignore list applied across every
// check, each check's and environment's status, the summary counts and the exit code.
import { compareFindings, type Finding } from "../../core/finding.ts";
import type { IgnoreEntry } from "../../parity-config/types.ts";
import { applyIgnoreList } from "./ignore.ts";
import type { AuditResult, CheckOutcome, EnvironmentError, EnvironmentOutcome, ExitCode } from "./result.ts";

/** One check for one target, as compared: its findings before the ignore list. */
export interface RawCheck {
  outcome: CheckOutcome;
  findings: Finding[];
}

export interface VerdictInput {
  baseline: string;
  /** Every environment of the run, the baseline first. */
  environments: readonly string[];
  checks: readonly RawCheck[];
  errors: readonly EnvironmentError[];
  ignore: readonly IgnoreEntry[];
  /** Today, for ignore entries' `until`. */
  now: Date;
  /**
   * The config's `rules:` levels (rule-levels.ts), the one place they apply: to the checks' findings
   * before the ignore list (a rule switched off leaves its ignore entry unused, and says so; one
   * raised to error is hidden like any error) and to the ignore list's own findings after it.
   */
  levels?: (findings: readonly Finding[]) => Finding[];
}

export type Verdict = Pick<
  AuditResult,
  "environments" | "checks" | "findings" | "ignored" | "errors" | "summary" | "exitCode"
>;

export function auditVerdict(input: VerdictInput): Verdict {
  const { baseline, environments: names, errors } = input;
  const levels = input.levels ?? ((findings: readonly Finding[]) => [...findings]);
  const rawByCheck = input.checks.map((raw) => ({ ...raw, findings: levels(raw.findings) }));

  // The ignore list applies across all checks at once, so "unused" means unused everywhere.
  const allRaw = rawByCheck.flatMap((entry) => entry.findings);
  // An entry for an environment that could not be read or compared had no chance to match:
  // not called unused (its findings may simply not have been looked for).
  const unread = new Set(errors.map((error) => error.environment));
  for (const raw of input.checks) if (raw.outcome.status === "error") unread.add(raw.outcome.environment);
  const targetsCompared = names.filter((name) => name !== baseline && !unread.has(name));
  const compared = unread.has(baseline) || targetsCompared.length === 0 ? [] : [baseline, ...targetsCompared];
  const ignoreOutcome = applyIgnoreList(allRaw, input.ignore, { now: input.now, environments: compared });
  const hidden = new Set(ignoreOutcome.ignored.map((entry) => entry.finding));
  const checks = rawByCheck.map(({ outcome, findings }) => {
    const reported = findings.filter((finding) => !hidden.has(finding)).sort(compareFindings);
    const status =
      outcome.status === "passed" && reported.some((finding) => finding.severity === "error")
        ? "failed"
        : outcome.status;
    return { ...outcome, status, findings: reported, ignoredCount: findings.length - reported.length };
  });

  const findings = [...ignoreOutcome.reported, ...levels(ignoreOutcome.listFindings)].sort(compareFindings);
  const environments: EnvironmentOutcome[] = names.map((name) => {
    // A target whose baseline could not be read was not compared either: not "ok".
    const hasError =
      errors.some((error) => error.environment === name) ||
      checks.some((check) => check.environment === name && check.status === "error");
    const hasDrift = findings.some((f) => f.location.environment === name && f.severity === "error");
    return {
      name,
      role: name === baseline ? "baseline" : "target",
      status: hasError ? "error" : hasDrift ? "drift" : "ok",
    };
  });
  const count = (severity: Finding["severity"]) => findings.filter((f) => f.severity === severity).length;
  const summary = {
    environments: names.length,
    errors: count("error"),
    warnings: count("warning"),
    infos: count("info"),
    ignored: ignoreOutcome.ignored.length,
    unreadable: new Set(errors.map((error) => error.environment)).size,
  };
  const exitCode: ExitCode = errors.length > 0 ? 2 : summary.errors > 0 ? 1 : 0;
  return {
    environments,
    checks,
    findings,
    ignored: ignoreOutcome.ignored,
    errors: [...errors],
    summary,
    exitCode,
  };
}
