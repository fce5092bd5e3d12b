// `rules:` in parity.config.yaml, ESLint-style: each entry names a rule id or a glob (`engine/*`,
// `*`) and a level (error | warning | info | off). For a finding's rule the most specific matching
// entry wins: an exact id beats any glob, a glob with more literal characters beats one with fewer
// (`engine/extension-*` over `engine/*` over `*`), and of two equally specific entries the later one
// in the file wins, as in ESLint where later configuration overrides earlier.

import { closestName } from "../core/did-you-mean.ts";
import { matchesPattern } from "../core/patterns.ts";
import type { RuleLevel, RuleSetting } from "./types.ts";

export { closestName } from "../core/did-you-mean.ts";

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
