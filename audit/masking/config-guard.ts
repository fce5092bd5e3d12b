// The production guard's second source: parity.config.yaml knows which database is production even
// when its name does not say so (`shop` on db-7.internal). `parity mask` and the target of
// `parity clone` are refused when they are the database of the config's baseline environment or of an
// environment named production/prod, matched by host, port and database name of the URLs (no DNS:
// `localhost` and `127.0.0.1` are different hosts here). --i-know-this-is-not-production waives it,
// as it waives the name guard (guards.ts).
import { stat } from "node:fs/promises";
import { ParityInputError } from "../core/errors.ts";
import { findConfigFile } from "../parity-config/find.ts";
import { loadParityConfig } from "../parity-config/load.ts";
import type { ParityConfig } from "../parity-config/types.ts";

/** Environment names that mean production, besides the baseline. */
const PRODUCTION_ENVIRONMENT = /^(prod|production)$/i;

export interface ProtectedDatabase {
  environment: string;
  /** Why it is protected: `the baseline`, `named production`. */
  reason: string;
  /** `host:port/database`, no user or password. */
  address: string;
}

/** `host:port/database` of a postgres URL, or undefined when it is not one. */
export function databaseAddress(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") return undefined;
  const host = decodeURIComponent(parsed.hostname).toLowerCase();
  const database = decodeURIComponent(parsed.pathname.slice(1));
  return `${host}:${parsed.port || "5432"}/${database}`;
}

/** Stands in for a variable that is not set where masking runs: a valid URL that names no real host. */
const UNSET_HOST = "parity-unset-variable.invalid";

export interface GuardConfig {
  config: ParityConfig;
  protected: ProtectedDatabase[];
  /** Protected environments whose URL uses a variable that is not set here: they cannot be matched. */
  unresolved: string[];
}

export function protectedDatabases(config: ParityConfig): ProtectedDatabase[] {
  return Object.entries(config.environments).flatMap(([environment, spec]) => {
    const reasons = [
      ...(environment === config.baseline ? ["the baseline"] : []),
      ...(PRODUCTION_ENVIRONMENT.test(environment) ? [`named ${environment}`] : []),
    ];
    const address = spec.database?.url ? databaseAddress(spec.database.url) : undefined;
    return reasons.length > 0 && address ? [{ environment, reason: reasons.join(" and "), address }] : [];
  });
}

/**
 * The config to guard with: `--config FILE` (must load), else parity.config.yaml here or in the
 * nearest parent, as `parity audit` finds it (none: nothing to guard with). A config that exists but
 * does not load is an error: the guard cannot tell production apart without it. A `${VAR}` that is
 * not set here (the production URL is often a secret the masking job does not get) only makes that
 * environment unmatchable, reported in `unresolved` for a warning.
 */
export async function loadGuardConfig(
  explicit: string | undefined,
  cwd: string,
): Promise<GuardConfig | undefined> {
  const file = explicit ?? (await findConfigFile(cwd));
  if (explicit === undefined) {
    const exists = await stat(file).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!exists) return undefined;
  }
  const env = new Proxy(process.env, {
    get: (target, name) =>
      typeof name === "string" && !target[name]
        ? `postgres://${UNSET_HOST}/${name}`
        : Reflect.get(target, name),
  });
  let config: ParityConfig;
  try {
    config = await loadParityConfig(file, { env });
  } catch (error) {
    if (!(error instanceof ParityInputError)) throw error;
    throw new ParityInputError(
      `cannot check the database against ${file} (which environments are production): ${error.message.split("\n")[0]}; fix it, point --config at another file, or pass --i-know-this-is-not-production`,
      error.problems,
    );
  }
  const all = protectedDatabases(config);
  return {
    config,
    protected: all.filter((database) => !database.address.startsWith(`${UNSET_HOST}:`)),
    unresolved: all
      .filter((database) => database.address.startsWith(`${UNSET_HOST}:`))
      .map((d) => d.environment),
  };
}

/** A warning for environments the guard could not check against, or undefined. */
export function unresolvedWarning(guard: GuardConfig | undefined): string | undefined {
  if (!guard || guard.unresolved.length === 0) return undefined;
  return `cannot tell whether the database is ${guard.unresolved.map((name) => `environment "${name}"`).join(" or ")} of ${guard.config.file}: its database URL uses a variable that is not set here (the name and host guard still applies)`;
}

export function refuseConfiguredProduction(
  url: string,
  guard: GuardConfig | undefined,
  allowed: boolean,
  what: "mask" | "clone into" = "mask",
): void {
  if (!guard || allowed) return;
  const address = databaseAddress(url);
  const match = guard.protected.find((database) => database.address === address);
  if (!match) return;
  throw new ParityInputError(
    `refusing to ${what} ${address}: it is the database of environment "${match.environment}" in ${guard.config.file} (${match.reason}); if this really is a clone, pass --i-know-this-is-not-production`,
  );
}
