// The two environments of a promotion, resolved from the parity config: names only (a promotion
// needs the config anyway, for its log, its key and each side's RDS identity and config source).
import type { ConfigKeysSpec, RdsSpec } from "../core/check.ts";
import { ParityInputError } from "../core/errors.ts";
import type { ParityConfig, PulumiDiscoverySpec } from "../parity-config/types.ts";
import type { IntrospectOptions } from "../schema/introspect.ts";

export interface PromotionSide {
  /** The environment's name in the config. */
  name: string;
  url: string;
  /** The schema filter of its database spec. */
  filter: IntrospectOptions;
  rds?: RdsSpec;
  config?: ConfigKeysSpec;
  pulumi?: PulumiDiscoverySpec;
}

export function resolveSide(config: ParityConfig, name: string, flag: "--from" | "--to"): PromotionSide {
  const environment = config.environments[name];
  if (!environment) {
    const known = Object.keys(config.environments).join(", ") || "none";
    throw new ParityInputError(
      `${flag} ${name}: no environment of that name in ${config.file} (environments: ${known})`,
    );
  }
  const spec = environment.database;
  if (!spec)
    throw new ParityInputError(
      `${flag} ${name}: environments.${name} in ${config.file} declares no database`,
    );
  if (spec.url.includes("${pulumi.")) {
    throw new ParityInputError(
      `${flag} ${name}: environments.${name}.database.url comes from Pulumi outputs; give the URL itself (a \${VAR}) for a promotion`,
    );
  }
  const filter: IntrospectOptions = {
    ...(spec.schemas ? { schemas: spec.schemas } : {}),
    ...(spec.excludeSchemas ? { excludeSchemas: spec.excludeSchemas } : {}),
    ...(spec.includeObjects ? { includeObjects: spec.includeObjects } : {}),
    ...(spec.excludeObjects ? { excludeObjects: spec.excludeObjects } : {}),
  };
  return {
    name,
    url: spec.url,
    filter,
    ...(environment.rds ? { rds: environment.rds } : {}),
    ...(environment.config ? { config: environment.config } : {}),
    ...(environment.pulumi ? { pulumi: environment.pulumi } : {}),
  };
}

export function resolveSides(config: ParityConfig, from: string, to: string): [PromotionSide, PromotionSide] {
  if (from === to) throw new ParityInputError(`--from and --to are the same environment (${from})`);
  const problems: string[] = [];
  const sides: PromotionSide[] = [];
  for (const [name, flag] of [
    [from, "--from"],
    [to, "--to"],
  ] as const) {
    try {
      sides.push(resolveSide(config, name, flag));
    } catch (error) {
      if (!(error instanceof ParityInputError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0)
    throw new ParityInputError("cannot resolve the environments to promote between", problems);
  return sides as [PromotionSide, PromotionSide];
}

/** host:port/database: never the user or password of the URL. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}
