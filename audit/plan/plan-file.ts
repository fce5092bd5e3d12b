// The plan as data: what `parity plan --reporter json` prints and `--out plan.json` writes, and what
// `parity lint --plan plan.json` reads. Versioned and kept stable: a field is only ever added, and a
// change of meaning bumps schemaVersion.
import * as z from "../core/zod.ts";

export const PLAN_SCHEMA_VERSION = 1;

/** Which database a side of the plan is: the environment's name or the URL without its password. */
export const planIdentitySchema = z.object({
  /** Environment name from the parity config, or `null` when a URL was given. */
  environment: z.string().nullable(),
  /** host:port/database, never user or password. */
  database: z.string(),
  /** `server_version_num`, e.g. 150018. */
  serverVersionNum: z.number().int(),
  major: z.number().int(),
});

export const hazardKindSchema = z.enum(["data-loss", "rewrite", "lock", "non-transactional"]);

export const lockModeSchema = z.enum([
  "ACCESS SHARE",
  "ROW SHARE",
  "ROW EXCLUSIVE",
  "SHARE UPDATE EXCLUSIVE",
  "SHARE",
  "SHARE ROW EXCLUSIVE",
  "EXCLUSIVE",
  "ACCESS EXCLUSIVE",
]);

export const hazardSchema = z.object({
  kind: hazardKindSchema,
  /** One sentence a reviewer reads: what is lost, rewritten or blocked. */
  detail: z.string(),
  /** For kind "lock" (and rewrites, which take one): the lock and the relation it is taken on. */
  lock: z.object({ mode: lockModeSchema, on: z.string() }).optional(),
});

export const planObjectSchema = z.object({
  /** parity's model object type (audit/schema/model.ts ObjectType): table, column, index, … */
  objectType: z.string(),
  /** Qualified name as findings report it: `public.orders.email`. */
  name: z.string(),
});

export const planStatementSchema = z.object({
  /** One SQL statement, no trailing semicolon. */
  sql: z.string(),
  /** What it does, in words: "add column public.orders.email". */
  summary: z.string(),
  /** "create" | "drop" | "alter": how the statement changes its objects. */
  action: z.enum(["create", "drop", "alter"]),
  objects: z.array(planObjectSchema),
  hazards: z.array(hazardSchema),
  /** false: cannot run inside a transaction block (ALTER TYPE … ADD VALUE before 12 when used, CONCURRENTLY). */
  transactional: z.boolean(),
});

export const refusalSchema = z.object({
  objectType: z.string(),
  name: z.string(),
  /** Why parity will not plan it: what it would take, what the model lacks. */
  reason: z.string(),
});

export const planFileSchema = z.object({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  /** The side whose schema the plan reproduces (`--from`). */
  from: planIdentitySchema,
  /** The side the plan is applied to (`--to`). */
  to: planIdentitySchema,
  statements: z.array(planStatementSchema),
  /** Non-empty: the plan is not safe to apply and `statements` is empty (exit 2). */
  refusals: z.array(refusalSchema),
});

export type PlanIdentity = z.infer<typeof planIdentitySchema>;
export type HazardKind = z.infer<typeof hazardKindSchema>;
export type LockMode = z.infer<typeof lockModeSchema>;
export type Hazard = z.infer<typeof hazardSchema>;
export type PlanObject = z.infer<typeof planObjectSchema>;
export type PlanStatement = z.infer<typeof planStatementSchema>;
export type Refusal = z.infer<typeof refusalSchema>;
export type PlanFile = z.infer<typeof planFileSchema>;

/** Parses a plan.json, throwing zod's error with every path that is wrong. */
export function parsePlanFile(json: unknown): PlanFile {
  return planFileSchema.parse(json);
}
