// Every rule parity can report, in one static list sorted by id: the ids users write into ignore
// lists, with the severity each rule reports by default and what it means (`parity rules`).
// Ids are `domain/name`; the domain says which check reports the rule.

import type { RuleMeta } from "../../core/check.ts";
import { rules as configKeysRules } from "../checks/config-keys/index.ts";
import { rules as dataRules } from "../checks/data/index.ts";
import { rules as schemaRules } from "../checks/database/index.ts";
import { rules as rdsRules } from "../checks/rds/index.ts";
import { ignoreListRules } from "../runner/ignore.ts";

/** Code-point order, so the order never depends on the machine's locale. */
export function compareRuleIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const RULE_ID_FORMAT = /^[a-z]+\/[a-z-]+$/;

export const ruleRegistry: readonly RuleMeta[] = Object.freeze(
  [...ignoreListRules, ...configKeysRules, ...dataRules, ...schemaRules, ...rdsRules].sort((a, b) =>
    compareRuleIds(a.id, b.id),
  ),
);

const byId = new Map(ruleRegistry.map((rule) => [rule.id, rule]));

export function findRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** `schema/missing` → `schema`. */
export function ruleDomain(id: string): string {
  return id.slice(0, id.indexOf("/"));
}
