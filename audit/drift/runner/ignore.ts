// The ignore list: intentional differences, each with a reason. An entry whose `until` date has
// passed stops hiding (the findings come back) and is itself reported, so nobody forgets a
// temporary exception; an entry that hid nothing is reported too, so the list does not rot.

import type { AuditCheck, RuleMeta } from "../../core/check.ts";
import { type Finding, makeFinding } from "../../core/finding.ts";
import { matchesPattern } from "../../core/patterns.ts";
import type { IgnoreEntry } from "../../parity-config/types.ts";

export const IGNORE_RULES = {
  expired: "audit/ignore-expired",
  unused: "audit/ignore-unused",
} as const;

/** The runner's own rules, about the ignore list itself (they cannot be ignored: they run after it). */
export const ignoreListRules: RuleMeta[] = [
  {
    id: IGNORE_RULES.expired,
    description:
      "An ignore entry's `until` date has passed: the findings it hid are reported again (the entry is active through that whole day, UTC).",
    defaultSeverity: "warning",
  },
  {
    id: IGNORE_RULES.unused,
    description:
      "An ignore entry matched no finding in this run (entries for environments not audited are not checked).",
    defaultSeverity: "warning",
  },
];

export interface IgnoredFinding {
  finding: Finding;
  /** The entry that hid it. */
  entry: IgnoreEntry;
}

export interface IgnoreOutcome {
  /** Findings still reported (not hidden by any active entry). */
  reported: Finding[];
  ignored: IgnoredFinding[];
  /** Findings about the ignore list itself: expired and unused entries. */
  listFindings: Finding[];
}

export interface IgnoreOptions {
  /** Today, for `until` (the entry is active through that whole day, UTC). */
  now: Date;
  /** Environments audited in this run: entries only for others are not called unused. */
  environments: readonly string[];
}

export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return entry.until !== undefined && now.toISOString().slice(0, 10) > entry.until;
}

export function entryMatches(entry: IgnoreEntry, finding: Finding): boolean {
  return (
    matchesPattern(entry.rule, finding.ruleId) &&
    matchesPattern(entry.object, finding.location.object) &&
    (entry.environment === undefined || matchesPattern(entry.environment, finding.location.environment))
  );
}

export function applyIgnoreList(
  findings: readonly Finding[],
  entries: readonly IgnoreEntry[],
  options: IgnoreOptions,
): IgnoreOutcome {
  const active = entries.filter((entry) => !isExpired(entry, options.now));
  const used = new Set<IgnoreEntry>();
  const reported: Finding[] = [];
  const ignored: IgnoredFinding[] = [];

  for (const finding of findings) {
    const entry = active.find((candidate) => entryMatches(candidate, finding));
    if (entry) {
      used.add(entry);
      ignored.push({ finding, entry });
    } else {
      reported.push(finding);
    }
  }

  const listFindings: Finding[] = [];
  for (const entry of entries) {
    const where = {
      environment: entry.environment ?? "(all environments)",
      objectType: "ignore-entry",
      object: describeEntry(entry),
    };
    if (isExpired(entry, options.now)) {
      listFindings.push(
        makeFinding({
          ruleId: IGNORE_RULES.expired,
          severity: "warning",
          message: `ignore entry expired on ${entry.until}; the findings it hid are reported again (reason was: ${entry.reason})`,
          ...where,
          expected: `until >= ${options.now.toISOString().slice(0, 10)}`,
          actual: entry.until,
        }),
      );
    } else if (!used.has(entry) && appliesToThisRun(entry, options.environments)) {
      listFindings.push(
        makeFinding({
          ruleId: IGNORE_RULES.unused,
          severity: "warning",
          message: "ignore entry matched no finding; remove it, or fix its rule/object/environment pattern",
          ...where,
        }),
      );
    }
  }
  return { reported, ignored, listFindings };
}

/** `ignore[2] rds/instance-class rds:shop-staging` */
export function describeEntry(entry: IgnoreEntry): string {
  return `ignore[${entry.index}] ${entry.rule} ${entry.object}`;
}

function appliesToThisRun(entry: IgnoreEntry, environments: readonly string[]): boolean {
  if (entry.environment === undefined) return true;
  const pattern = entry.environment;
  return environments.some((name) => matchesPattern(pattern, name));
}

/**
 * Ignore entries whose `rule` pattern matches no rule of the checks that will run: a typo
 * (`schema/mising`) would otherwise hide nothing and only surface later as an unused entry.
 * Empty when some check does not declare its rules (nothing to check against).
 */
export function unknownRuleProblems(
  entries: readonly IgnoreEntry[],
  checks: readonly AuditCheck<never, unknown>[],
): string[] {
  if (checks.some((check) => check.rules === undefined)) return [];
  const ids = [...checks.flatMap((check) => check.rules ?? []), ...ignoreListRules].map((rule) => rule.id);
  return entries
    .filter((entry) => !ids.some((id) => matchesPattern(entry.rule, id)))
    .map(
      (entry) =>
        `ignore[${entry.index}].rule: "${entry.rule}" matches no rule (rule ids are domain/name, e.g. schema/missing; run \`parity rules\` for the list)`,
    );
}
