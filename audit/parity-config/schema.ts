// The shape of parity.config.yaml, as zod schemas. Structural rules live here; rules that
// relate several fields (the baseline exists, instance XOR cluster, …) live in cross-field.ts
// so they are reported together with these, not only after these pass.
import * as z from "../core/zod.ts";
import { lintConfigSchema } from "../lint/settings.ts";
import { promotionConfigSchema } from "../promote/record/settings.ts";

const nonEmpty = z.string().trim().min(1, "must not be empty");
const patterns = z.array(nonEmpty);

/** Environment names appear in reports, file names and JUnit: keep them plain. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** PostgreSQL truncates identifiers past 63 bytes (NAMEDATALEN - 1): a longer name never matches. */
const roleName = nonEmpty.refine((name) => Buffer.byteLength(name) <= 63, "role names are at most 63 bytes");

/**
 * `roles.map`: the baseline's role name → this environment's name for it (role names legitimately
 * differ per environment). Owners, grantees, policy roles and default privileges compare through it.
 */
export const rolesSchema = z.strictObject({ map: z.record(roleName, roleName) });

const databaseOptions = {
  schemas: patterns.optional(),
  excludeSchemas: patterns.optional(),
  includeObjects: patterns.optional(),
  excludeObjects: patterns.optional(),
  settings: z.strictObject({ include: patterns.optional(), exclude: patterns.optional() }).optional(),
  maskingRules: nonEmpty.optional(),
  minRowRatio: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
  roles: rolesSchema.optional(),
};

const databaseUrl = z
  .string()
  // Never echo the value: it may carry a password.
  .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// connection URL");

export const databaseSchema = z.strictObject({ url: databaseUrl, ...databaseOptions });
export const databaseDefaultsSchema = z.strictObject(databaseOptions);

const ssmSchema = z.strictObject({
  path: nonEmpty.regex(/^\//, "must start with / (an SSM parameter path)"),
  region: nonEmpty.optional(),
  endpoint: z.url().optional(),
});

/** Exactly one source; cross-field.ts reports none or several with a clear message. */
export const configSourceSchema = z.strictObject({
  ssm: ssmSchema.optional(),
  pulumi: z.strictObject({ file: nonEmpty }).optional(),
  dotenv: z.strictObject({ file: nonEmpty }).optional(),
});

export const rdsSchema = z.strictObject({
  instance: nonEmpty.optional(),
  cluster: nonEmpty.optional(),
  region: nonEmpty.optional(),
  endpoint: z.url().optional(),
});

export const pulumiDiscoverySchema = z.strictObject({
  stack: nonEmpty,
  /** JSON written by `pulumi stack output --json`; used instead of the CLI when given. */
  outputsFile: nonEmpty.optional(),
  /** The Pulumi project directory the CLI runs in (default: the config file's directory). */
  dir: nonEmpty.optional(),
});

export const environmentSchema = z.strictObject({
  database: databaseSchema.optional(),
  config: configSourceSchema.optional(),
  rds: rdsSchema.optional(),
  pulumi: pulumiDiscoverySchema.optional(),
});

const isoDate = z.union([
  z.iso.date("must be a date (YYYY-MM-DD)"),
  z.date().transform((date) => date.toISOString().slice(0, 10)),
]);

export const ignoreEntrySchema = z.strictObject({
  rule: nonEmpty,
  object: nonEmpty,
  environment: nonEmpty.optional(),
  reason: nonEmpty,
  until: isoDate.optional(),
});

/** `rules:` values, ESLint-style: a rule's severity, or `off` to drop its findings. */
export const RULE_LEVELS = ["error", "warning", "info", "off"] as const;

const seconds = (what: string) =>
  z
    .number(`${what} is a number of seconds`)
    .positive(`${what} must be more than 0 seconds`)
    .max(3600, `${what} is at most 3600 seconds`);

export const connectionsSchema = z.strictObject({
  /** Seconds to wait for a connection to be ready (default 10). */
  connectTimeout: seconds("connectTimeout").optional(),
  /** Seconds a statement waits for a lock before failing (lock_timeout, default 10). */
  lockTimeout: seconds("lockTimeout").optional(),
  /** Open connections at most, across every environment (default 8). */
  max: z.int("max is a whole number").min(1, "max must be at least 1").max(1000).optional(),
});

export const auditConfigSchema = z.strictObject({
  baseline: nonEmpty,
  environments: z.record(
    z.string().regex(ENVIRONMENT_NAME, "environment names use letters, digits, _ . - only"),
    environmentSchema,
  ),
  defaults: z.strictObject({ database: databaseDefaultsSchema.optional() }).optional(),
  /**
   * `parity lint`: thresholds and throughput (audit/lint/settings.ts), and its own ignore list, so
   * the audit never sees lint/* entries (it would call them unknown rules) and lint never sees the audit's.
   */
  lint: lintConfigSchema.extend({ ignore: z.array(ignoreEntrySchema).optional() }).optional(),
  ignore: z.array(ignoreEntrySchema).optional(),
  /** Rule id or glob → level; the most specific entry wins. */
  rules: z
    .record(nonEmpty, z.enum(RULE_LEVELS, { error: `must be one of ${RULE_LEVELS.join(", ")}` }))
    .optional(),
  connections: connectionsSchema.optional(),
  /** `parity promote` / `parity record verify`: the record log and its signing key (audit/promote/record/settings.ts). */
  promotion: promotionConfigSchema.optional(),
});

export type RawAuditConfig = z.infer<typeof auditConfigSchema>;

let keyNames: string[] | undefined;

/** Every key the config can have, at any depth (for "did you mean" on unknown keys). */
export function configKeyNames(): string[] {
  if (!keyNames) {
    const names = new Set<string>();
    const walk = (node: unknown) => {
      if (node === null || typeof node !== "object") return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      if (properties) for (const name of Object.keys(properties)) names.add(name);
      for (const child of Object.values(node)) walk(child);
    };
    walk(z.toJSONSchema(auditConfigSchema, { io: "input", unrepresentable: "any" }));
    keyNames = [...names];
  }
  return keyNames;
}
