// `parity rules` as a typed function (what tests call) and its two renderings (what the CLI prints):
// the ids, default severities and meanings a user needs to write ignore entries.

import { ParityInputError } from "../../core/errors.ts";
import type { Severity } from "../../core/finding.ts";
import { matchesPattern } from "../../core/patterns.ts";
import type { RuleMeta } from "../../core/rule.ts";
import { ruleDomain, ruleRegistry } from "../../drift/rules/index.ts";

export interface ListedRule {
  id: string;
  /** The part before the slash: which check reports it (`schema`, `engine`, `data`, `config`, `rds`, `audit`). */
  domain: string;
  defaultSeverity: Severity;
  description: string;
}

export interface ListRulesOptions {
  /** An ignore-list `rule` pattern (`schema/*`, `rds/parameter*`): only the rules it matches. */
  pattern?: string;
  /** Defaults to the full registry; tests pass their own. */
  registry?: readonly RuleMeta[];
}

export function listRules(options: ListRulesOptions = {}): ListedRule[] {
  const registry = options.registry ?? ruleRegistry;
  const { pattern } = options;
  const selected =
    pattern === undefined ? registry : registry.filter((rule) => matchesPattern(pattern, rule.id));
  if (selected.length === 0) {
    // Said loudly: an ignore entry with this pattern would hide nothing.
    throw new ParityInputError(
      `rule pattern "${pattern}" matches no rule id (ids are domain/name, e.g. schema/missing; run \`parity rules\` for the list)`,
    );
  }
  return selected.map((rule) => ({
    id: rule.id,
    domain: ruleDomain(rule.id),
    defaultSeverity: rule.defaultSeverity,
    description: rule.description,
  }));
}

export function formatRulesJson(rules: readonly ListedRule[]): string {
  return `${JSON.stringify({ rules }, null, 2)}\n`;
}

/** One aligned line per rule, then how to use the ids. */
export function formatRulesText(rules: readonly ListedRule[]): string {
  const idWidth = Math.max("RULE".length, ...rules.map((rule) => rule.id.length));
  const severityWidth = Math.max("SEVERITY".length, ...rules.map((rule) => rule.defaultSeverity.length));
  const line = (id: string, severity: string, description: string) =>
    `${id.padEnd(idWidth)}  ${severity.padEnd(severityWidth)}  ${description}`.trimEnd();
  return [
    line("RULE", "SEVERITY", "DESCRIPTION"),
    ...rules.map((rule) => line(rule.id, rule.defaultSeverity, rule.description)),
    "",
    `${rules.length} rule${rules.length === 1 ? "" : "s"}. An ignore entry names a rule id or pattern (* and ?), an object and a reason:`,
    "  ignore:",
    "    - { rule: schema/missing, object: public.audit_log, environment: staging, reason: why it is intended }",
    "",
  ].join("\n");
}
