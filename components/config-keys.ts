// The declared config key set and the checks that keep every tier's values complete and
// pointed at the right services. Pure functions: the Config component and the tests share them.

export interface ConfigKeySpec {
  readonly description: string;
  /** Stored as SecureString; the value must come from a Pulumi secret. */
  readonly secret?: boolean;
  /**
   * An external service. `production` lists the values (or hosts) production uses; a
   * non-production value that equals or contains one of them is rejected: sandboxes only.
   */
  readonly external?: { readonly production: readonly string[] };
}

export type ConfigKeySet = Readonly<Record<string, ConfigKeySpec>>;

/** Keys the component writes itself from the database it built, the same in every tier. */
export const CONNECTION_KEYS = [
  "database-host",
  "database-port",
  "database-name",
  "database-user",
  "database-password",
] as const;

const KEY_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export function validateKeySet(keys: ConfigKeySet): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(keys)) {
    if (!KEY_NAME.test(key)) problems.push(`${key}: key names are lowercase letters, digits, '_', '.', '-'`);
    if ((CONNECTION_KEYS as readonly string[]).includes(key)) {
      problems.push(`${key}: reserved, the component writes it from the database it builds`);
    }
    if (!spec.description?.trim()) problems.push(`${key}: needs a description`);
    if (spec.external && spec.external.production.length === 0) {
      problems.push(
        `${key}: external keys list production's values, so non-production tiers can be kept off them`,
      );
    }
  }
  return problems;
}

/** Keys declared but not given, and keys given but not declared (typos, leftovers). */
export function compareKeys(
  declared: ConfigKeySet,
  given: Readonly<Record<string, unknown>>,
): { missing: string[]; undeclared: string[] } {
  const declaredKeys = Object.keys(declared);
  const givenKeys = Object.keys(given).filter((key) => given[key] !== undefined);
  return {
    missing: declaredKeys.filter((key) => !givenKeys.includes(key)).sort(),
    undeclared: givenKeys.filter((key) => !(key in declared)).sort(),
  };
}

/** Problems with one tier's values: missing and undeclared keys, each message naming the keys. */
export function validateConfigValues(
  declared: ConfigKeySet,
  given: Readonly<Record<string, unknown>>,
  tierLabel: string,
): string[] {
  const { missing, undeclared } = compareKeys(declared, given);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${tierLabel} is missing config keys: ${missing.join(", ")}`);
  if (undeclared.length > 0) {
    problems.push(`${tierLabel} sets config keys that are not declared: ${undeclared.join(", ")}`);
  }
  return problems;
}

/**
 * A non-production tier must point external services at sandboxes. Plain values are checked at
 * construction; values that are outputs (secrets, stack references) when they resolve.
 */
export function findProductionEndpoints(
  declared: ConfigKeySet,
  plainValues: Readonly<Record<string, string>>,
  secretKeys: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(declared)) {
    const value = plainValues[key];
    if (!spec.external || value === undefined) continue;
    const normalized = value.trim().toLowerCase();
    const hit = spec.external.production.find((prod) => normalized.includes(prod.trim().toLowerCase()));
    if (hit !== undefined) {
      const shown = secretKeys.has(key) ? "(secret value)" : `"${value}"`;
      problems.push(`${key}: ${shown} points at production ("${hit}"); non-production tiers use a sandbox`);
    }
  }
  return problems;
}
