// Rule ids from before every id was `domain/name`. Ignore lists that still use them would hide
// nothing (and the findings would come back as drift), so the config loader names the new id instead.
// Kept apart from the registry so the config loader can read it without loading any check.
import { matchesPattern } from "../runner/patterns.ts";

export const RENAMED_RULE_IDS: Readonly<Record<string, string>> = {
  "data-volume": "data/volume",
  "engine-default-privilege": "engine/default-privilege",
  "engine-extension-version": "engine/extension-version",
  "engine-locale": "engine/locale",
  "engine-major-version": "engine/major-version",
  "engine-minor-version": "engine/minor-version",
  "engine-setting": "engine/setting",
  "masking-coverage": "data/masking-coverage",
  "schema-changed": "schema/changed",
  "schema-dependent": "schema/dependent",
  "schema-extra": "schema/extra",
  "schema-missing": "schema/missing",
  "sequence-divergence": "data/sequence-divergence",
};

/**
 * For an ignore-list `rule` pattern written for the old ids (`schema-missing`, `engine-*`), the
 * renames it meant; empty when the pattern also matches a current id (`*`) or no old one.
 */
export function renamedRulesMatching(pattern: string): Array<{ from: string; to: string }> {
  const renames = Object.entries(RENAMED_RULE_IDS).map(([from, to]) => ({ from, to }));
  if (renames.some(({ to }) => matchesPattern(pattern, to))) return [];
  return renames.filter(({ from }) => matchesPattern(pattern, from));
}
