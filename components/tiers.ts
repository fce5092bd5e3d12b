// The ONLY place where tiers are allowed to differ. Everything not listed in TierSettings (engine,
// engine version, parameter values, extensions, config key set, encryption) is identical by
// construction, because the Environment reads it from the shared AppDefinition instead.
import type { DatabaseKind } from "./aws-rules.ts";

export const TIERS = ["production", "staging", "preview"] as const;
export type Tier = (typeof TIERS)[number];

export interface TierSettings {
  /** RDS instance class (for Aurora: the class of every cluster instance). */
  readonly instanceClass: string;
  /** Aurora only: how many instances the cluster gets (writer + readers). */
  readonly clusterInstanceCount: number;
  /** RDS instance only: a standby in a second availability zone. */
  readonly multiAz: boolean;
  /** Days of automated backups; production needs at least 7 (guardrail). */
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** When false, deleting the database first takes a final snapshot. */
  readonly skipFinalSnapshot: boolean;
  readonly performanceInsights: boolean;
  /** Apply modifications now instead of in the maintenance window. */
  readonly applyImmediately: boolean;
  /** Previews may never be public (guardrail); the others default to private too. */
  readonly publiclyAccessible: boolean;
  /** Where the data comes from: a fresh empty database, or a masked copy of production. */
  readonly data: "fresh" | "production";
}

/**
 * The declared differences between tiers, in one table (RDS instance values; see
 * KIND_DEFAULTS for what Aurora changes). Override per app with AppDefinition.tiers.
 */
export const TIER_SETTINGS: Readonly<Record<Tier, TierSettings>> = {
  production: {
    instanceClass: "db.r6g.large",
    clusterInstanceCount: 2,
    multiAz: true,
    backupRetentionDays: 14,
    deletionProtection: true,
    skipFinalSnapshot: false,
    performanceInsights: true,
    applyImmediately: false,
    publiclyAccessible: false,
    data: "fresh",
  },
  staging: {
    instanceClass: "db.t4g.medium",
    clusterInstanceCount: 1,
    multiAz: false,
    backupRetentionDays: 1,
    // Staging is rebuilt from production on demand; protecting it would block the refresh.
    deletionProtection: false,
    skipFinalSnapshot: true,
    performanceInsights: false,
    applyImmediately: true,
    publiclyAccessible: false,
    data: "production",
  },
  preview: {
    instanceClass: "db.t4g.small",
    clusterInstanceCount: 1,
    multiAz: false,
    backupRetentionDays: 1,
    deletionProtection: false,
    skipFinalSnapshot: true,
    performanceInsights: false,
    applyImmediately: true,
    publiclyAccessible: false,
    data: "production",
  },
};

/**
 * Per-kind defaults spread over TIER_SETTINGS. Aurora PostgreSQL has no db.t4g.small (its burstable
 * classes are medium and large: components/aws-rules.ts), so an Aurora preview gets db.t4g.medium.
 */
export const KIND_DEFAULTS: Readonly<Record<DatabaseKind, Partial<Record<Tier, Partial<TierSettings>>>>> = {
  instance: {},
  cluster: { preview: { instanceClass: "db.t4g.medium" } },
};

export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

/** The declared defaults for a tier and kind, with the app's overrides for that tier spread over them. */
export function resolveTierSettings(
  tier: Tier,
  overrides?: Partial<TierSettings>,
  kind: DatabaseKind = "instance",
): TierSettings {
  return { ...TIER_SETTINGS[tier], ...KIND_DEFAULTS[kind][tier], ...overrides };
}

/** The settings whose values differ between at least two tiers: what a reader of a diff should expect. */
export function declaredDifferences(
  settings: Readonly<Record<Tier, TierSettings>> = TIER_SETTINGS,
): (keyof TierSettings)[] {
  const keys = Object.keys(settings.production) as (keyof TierSettings)[];
  return keys.filter((key) => new Set(TIERS.map((tier) => settings[tier][key])).size > 1);
}
