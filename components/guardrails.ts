// Guardrails that fire only on real mistakes. Each function returns every problem it finds, each
// naming the setting or key, so one failed `pulumi up` lists everything to fix.
import { type ConfigKeySet, findProductionEndpoints } from "./config-keys.ts";
import type { Tier, TierSettings } from "./tiers.ts";

/** Production keeps at least a week of backups. */
export const MIN_PRODUCTION_BACKUP_DAYS = 7;

export interface ProtectionInput {
  tier: Tier;
  settings: TierSettings;
  storageEncrypted: boolean;
}

/** Production must survive a mistaken `destroy` and a bad week; clones of its data stay private. */
export function checkProtections({ tier, settings, storageEncrypted }: ProtectionInput): string[] {
  const problems: string[] = [];
  if (tier === "production") {
    if (!settings.deletionProtection) problems.push("production: deletionProtection must stay on");
    if (settings.skipFinalSnapshot)
      problems.push("production: skipFinalSnapshot must stay off (a final snapshot is taken on delete)");
    if (settings.backupRetentionDays < MIN_PRODUCTION_BACKUP_DAYS) {
      problems.push(
        `production: backupRetentionDays is ${settings.backupRetentionDays}, needs at least ${MIN_PRODUCTION_BACKUP_DAYS}`,
      );
    }
    if (settings.data !== "fresh")
      problems.push('production: data must be "fresh"; production is never a clone');
  } else if (settings.data !== "production") {
    problems.push(
      `${tier}: data must come from production ("production"), that is what keeps ${tier} honest`,
    );
  }
  if (!storageEncrypted) problems.push(`${tier}: storage encryption must stay on`);
  if (tier !== "production" && settings.publiclyAccessible)
    problems.push(`${tier}: publiclyAccessible must stay off; a copy of production's data is never public`);
  if (settings.backupRetentionDays < 1 || settings.backupRetentionDays > 35) {
    problems.push(
      `${tier}: backupRetentionDays must be between 1 and 35 (got ${settings.backupRetentionDays})`,
    );
  }
  return problems;
}

export interface ProductionFootprint {
  databaseIdentifier: string;
  ssmPath: string;
  secretPrefixes: readonly string[];
}

export interface NonProductionInput {
  tier: Exclude<Tier, "production">;
  databaseIdentifier: string;
  ssmPath: string;
  /** Plain config values (secrets cannot be read at construction and are checked when resolved). */
  plainValues: Readonly<Record<string, string>>;
  /** Names of secrets or parameters the tier reads from (e.g. the masking key's parameter). */
  references?: readonly string[];
}

/**
 * A non-production tier may not take over production's database, write under production's
 * parameter path, or read production's secrets. Reading production's snapshot or cluster as the
 * clone SOURCE is the point and is not checked here.
 */
export function checkProductionReferences(
  input: NonProductionInput,
  production: ProductionFootprint,
): string[] {
  const problems: string[] = [];
  const prodId = production.databaseIdentifier.toLowerCase();
  if (input.databaseIdentifier.toLowerCase() === prodId) {
    problems.push(`${input.tier}: database identifier "${input.databaseIdentifier}" is production's`);
  }
  if (input.ssmPath.startsWith(production.ssmPath) || production.ssmPath.startsWith(input.ssmPath)) {
    problems.push(`${input.tier}: SSM path "${input.ssmPath}" overlaps production's "${production.ssmPath}"`);
  }
  const candidates = [
    ...Object.entries(input.plainValues).map(([key, value]) => ({ label: `config key ${key}`, value })),
    ...(input.references ?? []).map((value) => ({ label: "reference", value })),
  ];
  problems.push(...findProductionReferences(input.tier, candidates, production));
  return problems;
}

/** Values (config values, secret names) that mention production's parameter path, database or secrets. */
export function findProductionReferences(
  tier: string,
  candidates: readonly { label: string; value: string; secret?: boolean }[],
  production: ProductionFootprint,
): string[] {
  const forbidden = [
    { needle: production.ssmPath, what: "production's parameter path" },
    { needle: production.databaseIdentifier, what: "production's database" },
    ...production.secretPrefixes.map((prefix) => ({ needle: prefix, what: "a production secret" })),
  ].filter(({ needle }) => needle !== "");
  const problems: string[] = [];
  for (const { label, value, secret } of candidates) {
    const hit = forbidden.find(({ needle }) => value.toLowerCase().includes(needle.toLowerCase()));
    // A secret's value is never printed, only where it is.
    const shown = secret ? "(secret value)" : `"${value}"`;
    if (hit) problems.push(`${tier}: ${label} ${shown} references ${hit.what} ("${hit.needle}")`);
  }
  return problems;
}

/**
 * The check a non-production value gets when it resolves (secrets and stack references are outputs
 * at construction). Secret values are never echoed in the messages.
 */
export function resolvedValueProblems(
  tier: Tier,
  keys: ConfigKeySet,
  production: ProductionFootprint,
  key: string,
  value: string,
): string[] {
  if (tier === "production") return [];
  const secret = keys[key]?.secret === true;
  return [
    ...findProductionEndpoints(keys, { [key]: value }, secret ? new Set([key]) : new Set()).map(
      (problem) => `${tier}: config key ${problem}`,
    ),
    ...findProductionReferences(tier, [{ label: `config key ${key}`, value, secret }], production),
  ];
}
