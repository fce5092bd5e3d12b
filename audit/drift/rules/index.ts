// Every rule parity can report, in one static registry written in id order (test/rules/registry.test.ts
// checks the order, and that each rule's file is audit/drift/rules/<id>.ts). Ids are `domain/name`;
// the domain says which check runs the rule, and each check takes its domains from here:
// database → engine and schema, data → data, config-keys → config, rds → rds, the runner → audit.
// A new rule is one file under its domain plus one line here.

import type { RuleMeta } from "../../core/rule.ts";
import { ignoreExpired } from "./audit/ignore-expired.ts";
import { ignoreUnused } from "./audit/ignore-unused.ts";
import { extraKey } from "./config/extra-key.ts";
import { missingKey } from "./config/missing-key.ts";
import { pointsAtProduction } from "./config/points-at-production.ts";
import { typeMismatch } from "./config/type-mismatch.ts";
import { cloneLeftover } from "./data/clone-leftover.ts";
import { maskingCoverage } from "./data/masking-coverage.ts";
import { sequenceDivergence } from "./data/sequence-divergence.ts";
import { dataVolume } from "./data/volume.ts";
import { engineDefaultPrivilege } from "./engine/default-privilege.ts";
import { engineExtensionVersion } from "./engine/extension-version.ts";
import { engineLocale } from "./engine/locale.ts";
import { engineMajorVersion } from "./engine/major-version.ts";
import { engineMinorVersion } from "./engine/minor-version.ts";
import { engineSetting } from "./engine/setting.ts";
import { engineRule } from "./rds/engine.ts";
import { engineVersionRule } from "./rds/engine-version.ts";
import { instanceClassRule } from "./rds/instance-class.ts";
import { parameterRule } from "./rds/parameter.ts";
import { parameterExtraRule } from "./rds/parameter-extra.ts";
import { settingsRule } from "./rds/setting.ts";
import { storageEncryptionRule } from "./rds/storage-encryption.ts";
import { schemaChanged } from "./schema/changed.ts";
import { schemaDependent } from "./schema/dependent.ts";
import { schemaExtra } from "./schema/extra.ts";
import { schemaMissing } from "./schema/missing.ts";
import { schemaPatternUnmatched } from "./schema/pattern-unmatched.ts";

/** Domains in id order, each domain's rules in id order: together, every rule sorted by id. */
export const rulesByDomain = {
  audit: [ignoreExpired, ignoreUnused],
  config: [extraKey, missingKey, pointsAtProduction, typeMismatch],
  data: [cloneLeftover, maskingCoverage, sequenceDivergence, dataVolume],
  engine: [
    engineDefaultPrivilege,
    engineExtensionVersion,
    engineLocale,
    engineMajorVersion,
    engineMinorVersion,
    engineSetting,
  ],
  rds: [
    engineRule,
    engineVersionRule,
    instanceClassRule,
    parameterRule,
    parameterExtraRule,
    settingsRule,
    storageEncryptionRule,
  ],
  schema: [schemaChanged, schemaDependent, schemaExtra, schemaMissing, schemaPatternUnmatched],
} as const;

export type RuleDomain = keyof typeof rulesByDomain;

/** Every rule's meta, sorted by id (`parity rules`, ignore-list validation). */
export const ruleRegistry: readonly RuleMeta[] = Object.freeze(
  Object.values(rulesByDomain).flatMap((rules) => rules.map((rule): RuleMeta => rule.meta)),
);

/** The metas of some domains' rules, in id order: what a check declares it reports. */
export function metasOf(...domains: readonly RuleDomain[]): RuleMeta[] {
  return domains.flatMap((domain) => rulesByDomain[domain].map((rule): RuleMeta => rule.meta));
}

/** Code-point order, so the order never depends on the machine's locale. */
export function compareRuleIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const RULE_ID_FORMAT = /^[a-z]+\/[a-z-]+$/;

const byId = new Map(ruleRegistry.map((rule) => [rule.id, rule]));

export function findRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** `schema/missing` → `schema`. */
export function ruleDomain(id: string): string {
  return id.slice(0, id.indexOf("/"));
}
