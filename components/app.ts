// The shared half of every environment: what an app's production, staging and previews have in
// common. One AppDefinition is handed to every tier, so the engine pin, parameter values,
// extensions and config key set cannot differ between tiers by accident.
import { ParityInputError } from "../audit/core/errors.ts";
import { type DatabaseKind, engineVersionProblem } from "./aws-rules.ts";

export type { DatabaseKind } from "./aws-rules.ts";

import { type ConfigKeySet, validateKeySet } from "./config-keys.ts";
import { isTier, TIERS, type Tier, type TierSettings } from "./tiers.ts";

export interface EngineSpec {
  /** `postgres` for an RDS instance, `aurora-postgresql` for an Aurora cluster. */
  readonly engine: "postgres" | "aurora-postgresql";
  /** Full pinned version (`15.10`): auto minor upgrades are off, so only this file moves a tier. */
  readonly version: string;
  /** Parameter group family, derived from engine and major version (`postgres15`). */
  readonly family: string;
}

export interface DatabaseDefinition {
  /** `instance`: RDS for PostgreSQL, staging restored from a snapshot. `cluster`: Aurora, cloned copy-on-write. */
  readonly kind: DatabaseKind;
  /** Pinned PostgreSQL version, e.g. `15.10`. */
  readonly engineVersion: string;
  /** Parameter group values, identical in every tier. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Extensions every tier has (the ones that need preloading go into shared_preload_libraries). */
  readonly extensions: readonly string[];
  readonly databaseName: string;
  readonly masterUsername: string;
  /** RDS instance only: storage in GiB (a restore needs at least the snapshot's size, so it is not a tier difference). */
  readonly allocatedStorage?: number;
  /** KMS key for storage encryption; AWS's default RDS key when omitted. Encryption itself is always on. */
  readonly kmsKeyId?: string;
}

export interface ProductionReference {
  /** Production's database identifier when it is not the derived `<app>-production` (an adopted database). */
  readonly databaseIdentifier?: string;
  /**
   * Name prefixes of production's secrets outside SSM (Secrets Manager names, ARNs), e.g. `shop/production/`.
   * A non-production value that contains one is rejected.
   */
  readonly secretPrefixes?: readonly string[];
}

export interface AppDefinition {
  /** Short app name, used in identifiers and SSM paths (`/shop/staging/…`). */
  readonly name: string;
  readonly database: DatabaseDefinition;
  readonly configKeys: ConfigKeySet;
  /** Per-tier overrides of the declared TIER_SETTINGS: the app's own declared differences. */
  readonly tiers?: Readonly<Partial<Record<Tier, Partial<TierSettings>>>>;
  readonly production?: ProductionReference;
}

const APP_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const ENGINE_VERSION = /^(\d+)\.(\d+)$/;
const PARAMETER_NAME = /^[a-z_][a-z0-9_.]*$/;

/** Extensions that only work when listed in shared_preload_libraries. */
export const PRELOADED_EXTENSIONS: ReadonlySet<string> = new Set([
  "pg_stat_statements",
  "pg_cron",
  "pgaudit",
  "auto_explain",
  "pg_hint_plan",
]);

/** Engine, pinned version and parameter family for a database kind: the one source of truth per app. */
export function engineSpec(database: Pick<DatabaseDefinition, "kind" | "engineVersion">): EngineSpec {
  const match = ENGINE_VERSION.exec(database.engineVersion);
  if (!match) {
    throw new ParityInputError(
      `database.engineVersion "${database.engineVersion}" is not a pinned major.minor`,
    );
  }
  const engine = database.kind === "cluster" ? "aurora-postgresql" : "postgres";
  return { engine, version: database.engineVersion, family: `${engine}${match[1]}` };
}

/** Parameter values every tier gets: the declared ones plus the preload list the extensions need. */
export function parameterValues(database: DatabaseDefinition): Record<string, string> {
  const values: Record<string, string> = { ...database.parameters };
  const preload = database.extensions.filter((extension) => PRELOADED_EXTENSIONS.has(extension));
  if (preload.length > 0) {
    const declared = (values.shared_preload_libraries ?? "").split(",").map((s) => s.trim());
    values.shared_preload_libraries = [...new Set([...declared.filter(Boolean), ...preload])]
      .sort()
      .join(",");
  }
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every problem with an app definition, each naming its field; empty when it is usable. */
export function validateApp(app: AppDefinition): string[] {
  const problems: string[] = [];
  if (!APP_NAME.test(app.name)) {
    problems.push(
      `name "${app.name}": use 1-20 lowercase letters, digits or hyphens, starting with a letter`,
    );
  }
  const versionProblem = engineVersionProblem(app.database.kind, app.database.engineVersion);
  if (versionProblem) problems.push(versionProblem);
  if (app.database.kind !== "instance" && app.database.kind !== "cluster") {
    problems.push(`database.kind "${String(app.database.kind)}": expected instance or cluster`);
  }
  for (const name of Object.keys(app.database.parameters)) {
    if (!PARAMETER_NAME.test(name))
      problems.push(`database.parameters.${name}: not a PostgreSQL parameter name`);
  }
  for (const extension of app.database.extensions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(extension))
      problems.push(`database.extensions: "${extension}" is not an extension name`);
  }
  problems.push(...validateKeySet(app.configKeys).map((p) => `configKeys.${p}`));
  for (const tier of Object.keys(app.tiers ?? {})) {
    if (!isTier(tier)) problems.push(`tiers.${tier}: unknown tier (expected one of ${TIERS.join(", ")})`);
  }
  return problems;
}

/** Validates once and returns the definition unchanged, so stacks can declare it as a constant. */
export function defineApp<const T extends AppDefinition>(app: T): T {
  const problems = validateApp(app);
  if (problems.length > 0) throw new ParityInputError(`app "${app.name}" is not valid`, problems);
  return app;
}
