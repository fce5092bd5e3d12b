// `rules:` in parity.config.yaml, ESLint-style: each entry names a rule id or a glob (`engine/*`,
// `*`) and a level (error | warning | info | off). For a finding's rule the most specific matching
// entry wins: an exact id beats any glob, a glob with more literal characters beats one with fewer
// (`engine/extension-*` over `engine/*` over `*`), and of two equally specific entries the later one
// in the file wins, as in ESLint where later configuration overrides earlier.
import { matchesPattern } from "../core/patterns.ts";
import type { RuleLevel, RuleSetting } from "./types.ts";

function specificity(pattern: string): number {
  const wildcards = (pattern.match(/[*?]/g) ?? []).length;
  // Exact ids sort above every glob, whatever their length.
  return wildcards === 0 ? Number.MAX_SAFE_INTEGER : pattern.length - wildcards;
}

/** The level `rules:` sets for `ruleId`, or undefined when no entry names it (the rule's own severity). */
export function levelFor(ruleId: string, settings: readonly RuleSetting[]): RuleLevel | undefined {
  let best: { score: number; level: RuleLevel } | undefined;
  for (const setting of settings) {
    if (!matchesPattern(setting.pattern, ruleId)) continue;
    const score = specificity(setting.pattern);
    if (!best || score >= best.score) best = { score, level: setting.level };
  }
  return best?.level;
}

/** `rules:` entries whose pattern matches no known rule: typos, reported as config errors. */
export function unknownRulePatterns(settings: readonly RuleSetting[], ruleIds: readonly string[]): string[] {
  return settings
    .filter((setting) => !ruleIds.some((id) => matchesPattern(setting.pattern, id)))
    .map((setting) => {
      const hint = closestName(setting.pattern, ruleIds);
      return `rules."${setting.pattern}": matches no rule${hint ? ` (did you mean "${hint}"?)` : ""}; run \`parity rules\` for the list`;
    });
}

/** The candidate nearest to `name` by edit distance, when it is near enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.candidate : undefined;
}

// Levenshtein distance: a dozen lines, not worth a dependency.
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
