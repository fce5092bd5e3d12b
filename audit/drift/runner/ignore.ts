// The ignore list: intentional differences, each with a reason. An entry whose `until` date has
// passed stops hiding (the findings come back) and is itself reported, so nobody forgets a
// temporary exception; an entry that hid nothing is reported too, so the list does not rot.

import type { AuditCheck } from "../../core/check.ts";
import type { Finding } from "../../core/finding.ts";
import { matchesPattern } from "../../core/patterns.ts";
import { entryMatches, isExpired } from "../../parity-config/ignore-entry.ts";
import type { IgnoreEntry } from "../../parity-config/types.ts";
import { ignoreExpired } from "../rules/audit/ignore-expired.ts";
import { ignoreUnused } from "../rules/audit/ignore-unused.ts";
import { metasOf, rulesByDomain } from "../rules/index.ts";

export { describeEntry, entryMatches, isExpired } from "../../parity-config/ignore-entry.ts";

export const IGNORE_RULES = {
  expired: ignoreExpired.meta.id,
  unused: ignoreUnused.meta.id,
} as const;

/** The runner's own rules, about the ignore list itself (they cannot be ignored: they run after it). */
export const ignoreListRules = metasOf("audit");

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

  const context = { entries, used, now: options.now, environments: options.environments };
  const listFindings = rulesByDomain.audit.flatMap((rule) => rule.check(context));
  return { reported, ignored, listFindings };
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
