// Applies `rules:` from the parity config to findings: the one place a finding's severity changes
// after its rule reported it. The runner calls it on every check's findings before the ignore list
// and on the ignore list's own findings after it (see run-audit.ts for why that order).
import type { Finding } from "../../core/finding.ts";
import { levelFor } from "../../parity-config/rule-levels.ts";
import type { RuleSetting } from "../../parity-config/types.ts";

export function applyRuleLevels(findings: readonly Finding[], settings: readonly RuleSetting[]): Finding[] {
  if (settings.length === 0) return [...findings];
  const levels = new Map<string, ReturnType<typeof levelFor>>();
  const out: Finding[] = [];
  for (const finding of findings) {
    if (!levels.has(finding.ruleId)) levels.set(finding.ruleId, levelFor(finding.ruleId, settings));
    const level = levels.get(finding.ruleId);
    if (level === "off") continue;
    out.push(level === undefined || level === finding.severity ? finding : { ...finding, severity: level });
  }
  return out;
}
