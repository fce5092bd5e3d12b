// The plan of an Environment: validation (environment-validation.ts), then names, then tags.
// Pure, so `pulumi preview` and the tests see every problem before anything is registered.
import { engineSpec, parameterValues } from "./app.ts";
import { findProductionEndpoints } from "./config-keys.ts";
import type { DatabaseSource } from "./database.ts";
import type { EnvironmentArgs, EnvironmentPlan } from "./environment-args.ts";
import { isPlain, validateEnvironmentArgs } from "./environment-validation.ts";
import { checkProductionReferences, type ProductionFootprint } from "./guardrails.ts";
import {
  DEFAULT_PREVIEW_TTL_DAYS,
  databaseIdentifier,
  environmentSlug,
  expiresAt,
  RDS_IDENTIFIER_MAX,
  ssmPath,
  tagValue,
} from "./naming.ts";
import { databaseResourceName } from "./replacement.ts";
import { isTier, resolveTierSettings, type Tier } from "./tiers.ts";

interface EnvironmentNames {
  identifier: string;
  resourceName: string;
  parameterGroupName: string;
  ssmPath: string;
  production: ProductionFootprint;
}

/** Identifiers, resource name, SSM path and production's footprint, from app, tier and branch. */
export function environmentNames(name: string, args: Omit<EnvironmentArgs, "now">): EnvironmentNames {
  const { app, tier } = args;
  const kind = app.database.kind;
  const maxLength = kind === "cluster" ? RDS_IDENTIFIER_MAX - 3 : RDS_IDENTIFIER_MAX; // room for `-N` instances
  const names = { app: app.name, tier, branch: args.branch };
  const generation = tier === "production" ? undefined : args.clone?.generation;
  const productionIdentifier =
    app.production?.databaseIdentifier ?? environmentSlug({ app: app.name, tier: "production" }, maxLength);
  return {
    identifier:
      tier === "production" ? productionIdentifier : databaseIdentifier(names, generation, maxLength),
    resourceName: databaseResourceName(name, generation),
    parameterGroupName: `${environmentSlug(names)}-${engineSpec(app.database).family}`,
    ssmPath: ssmPath(names),
    production: {
      databaseIdentifier: productionIdentifier,
      ssmPath: ssmPath({ app: app.name, tier: "production" }),
      secretPrefixes: app.production?.secretPrefixes ?? [],
    },
  };
}

/** The `parity:*` tags every resource of the tier carries (the reaper reads them). */
export function environmentTags(
  args: Omit<EnvironmentArgs, "now">,
  expiry: string | undefined,
  stack?: string,
): Record<string, string> {
  return {
    ...args.tags,
    "parity:app": args.app.name,
    "parity:tier": args.tier,
    "parity:managed-by": "pulumi",
    ...(stack === undefined ? {} : { "parity:stack": tagValue(stack) }),
    ...(args.tier === "preview"
      ? { "parity:branch": tagValue(args.branch ?? ""), "parity:expires-at": expiry ?? "" }
      : {}),
  };
}

function cloneSource(
  args: Omit<EnvironmentArgs, "now">,
  productionIdentifier: string,
): DatabaseSource | undefined {
  if (args.tier === "production") return undefined;
  return args.app.database.kind === "instance"
    ? {
        from: "snapshot",
        productionIdentifier,
        snapshotIdentifier: args.clone?.snapshotIdentifier,
        snapshotType: args.clone?.snapshotType,
      }
    : { from: "clone", productionIdentifier, restoreToTime: args.clone?.restoreToTime };
}

/** Problems that need the derived names: a non-production tier reaching into production. */
function isolationProblems(
  args: Omit<EnvironmentArgs, "now">,
  tier: Exclude<Tier, "production">,
  names: EnvironmentNames,
): string[] {
  const plainValues = Object.fromEntries(
    Object.entries(args.config).filter((entry): entry is [string, string] => isPlain(entry[1])),
  );
  return [
    ...findProductionEndpoints(args.app.configKeys, plainValues).map((p) => `${tier}: config key ${p}`),
    ...checkProductionReferences(
      {
        tier,
        databaseIdentifier: names.identifier,
        ssmPath: names.ssmPath,
        plainValues,
        references: args.masking?.keyReference === undefined ? [] : [args.masking.keyReference],
      },
      names.production,
    ),
  ];
}

/**
 * Validates the args and computes names, settings and tags. Returns every problem at once; the
 * constructor throws them as one ParityInputError. Plain values only: outputs (secrets) are
 * checked when they resolve.
 */
export function planEnvironment(
  name: string,
  args: Omit<EnvironmentArgs, "now">,
  now: Date,
  /** The Pulumi stack, tagged so a reaper knows which stack to destroy. */
  stack?: string,
): { plan?: EnvironmentPlan; problems: string[] } {
  const { app, tier } = args;
  if (!isTier(tier))
    return { problems: [`tier "${String(tier)}" is not one of production, staging, preview`] };
  const kind = app.database.kind;
  const settings = resolveTierSettings(tier, app.tiers?.[tier], kind);
  const problems = validateEnvironmentArgs(args, settings, now);
  if (problems.length > 0) return { problems };

  const names = environmentNames(name, args);
  if (tier !== "production") problems.push(...isolationProblems(args, tier, names));
  if (problems.length > 0) return { problems };

  const expiry =
    tier === "preview" ? expiresAt(now, args.previewTtlDays ?? DEFAULT_PREVIEW_TTL_DAYS) : undefined;
  return {
    problems,
    plan: {
      tier,
      kind,
      engine: engineSpec(app.database),
      settings,
      parameters: parameterValues(app.database),
      identifier: names.identifier,
      resourceName: names.resourceName,
      parameterGroupName: names.parameterGroupName,
      ssmPath: names.ssmPath,
      production: names.production,
      source: cloneSource(args, names.production.databaseIdentifier),
      tags: environmentTags(args, expiry, stack),
      expiresAt: expiry,
    },
  };
}
