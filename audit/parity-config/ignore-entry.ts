// What one ignore entry of parity.config.yaml says: until when it is active, which findings it
// matches, and how reports name it. Pure; the runner applies the list, the audit/* rules report on it.
import type { Finding } from "../core/finding.ts";
import { matchesPattern } from "../core/patterns.ts";
import type { IgnoreEntry } from "./types.ts";

/** Past its `until` day (the entry is active through that whole day, UTC). */
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

/** Whether the entry could match anything in a run over these environments. */
export function appliesToEnvironments(entry: IgnoreEntry, environments: readonly string[]): boolean {
  // An entry for every environment applies to a run that compared any.
  if (entry.environment === undefined) return environments.length > 0;
  const pattern = entry.environment;
  return environments.some((name) => matchesPattern(pattern, name));
}

/** `ignore[2] rds/instance-class rds:shop-staging` */
export function describeEntry(entry: IgnoreEntry): string {
  return `ignore[${entry.index}] ${entry.rule} ${entry.object}`;
}
