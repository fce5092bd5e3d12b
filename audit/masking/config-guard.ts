// The production guard's second source: parity.config.yaml knows which database is production even
// when its name does not say so (`shop` on db-7.internal). `parity mask` and the target of
// `parity clone` are refused when they are the database of the config's baseline environment or of an
// environment named production/prod, matched by port, database name and host of the URLs, where a
// host is every address it resolves to (`localhost`, `127.0.0.1`, `127.1` and `LOCALHOST` are one
// host; so are a CNAME and its target, an RDS cluster endpoint and its writer). Not recognized: the
// same server behind another address (a proxy, a tunnel, a forwarded port); the name guard still
// applies there. --i-know-this-is-not-production waives it, as it waives the name guard (guards.ts).
import { lookup } from "node:dns/promises";
import { stat } from "node:fs/promises";
import { isIP } from "node:net";
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
  /** The URL itself, to resolve its host (never printed: it may hold a password). */
  url?: string;
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
    return reasons.length > 0 && address && spec.database?.url
      ? [{ environment, reason: reasons.join(" and "), address, url: spec.database.url }]
      : [];
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

/** A resolver: a host's addresses (dns.lookup by default; tests give their own). */
export type ResolveHost = (host: string) => Promise<string[]>;

const LOOKUP_TIMEOUT_MS = 3000;

const resolveWithDns: ResolveHost = async (host) => {
  const timeout = new Promise<string[]>((resolve) =>
    setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS).unref(),
  );
  const found = lookup(host, { all: true }).then(
    (addresses) => addresses.map((entry) => entry.address),
    () => [] as string[],
  );
  return Promise.race([found, timeout]);
};

/** One spelling per address: every loopback address is one host, an IPv4-mapped IPv6 its IPv4. */
function canonicalAddress(address: string): string {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  const plain = mapped ? (mapped[1] as string) : lower;
  if (plain === "::1" || (isIP(plain) === 4 && plain.startsWith("127."))) return "loopback";
  return plain;
}

/** Every `host:port/database` spelling of a URL's database: its host as written and each address. */
async function addressesOf(url: string, resolve: ResolveHost): Promise<Set<string>> {
  if (databaseAddress(url) === undefined) return new Set();
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname)
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  const hosts = new Set([host === "localhost" ? "loopback" : canonicalAddress(host)]);
  // A host given as a socket directory (or none) has no address to resolve.
  if (host !== "" && !host.startsWith("/")) {
    for (const resolved of await resolve(host)) hosts.add(canonicalAddress(resolved));
  }
  const port = parsed.port || "5432";
  const database = decodeURIComponent(parsed.pathname.slice(1));
  return new Set([...hosts].map((name) => `${name}:${port}/${database}`));
}

export async function refuseConfiguredProduction(
  url: string,
  guard: GuardConfig | undefined,
  allowed: boolean,
  what: "mask" | "clone into" = "mask",
  resolve: ResolveHost = resolveWithDns,
): Promise<void> {
  if (!guard || allowed) return;
  const address = databaseAddress(url);
  const ours = await addressesOf(url, resolve);
  let match: ProtectedDatabase | undefined;
  for (const database of guard.protected) {
    if (database.address === address) match = database;
    else if (database.url !== undefined) {
      const theirs = await addressesOf(database.url, resolve);
      if ([...theirs].some((spelling) => ours.has(spelling))) match = database;
    }
    if (match) break;
  }
  if (!match) return;
  const sameSpelling = match.address === address;
  throw new ParityInputError(
    `refusing to ${what} ${address}: it is the database of environment "${match.environment}" in ${guard.config.file} (${match.reason})${sameSpelling ? "" : `, there written ${match.address}`}; if this really is a clone, pass --i-know-this-is-not-production`,
  );
}
