// The JSON report's schema (version 1). It is a public contract for scripts and dashboards:
// add optional fields freely; renaming or removing a field bumps `schemaVersion`.
// docs/audit.md documents it; the tests validate real reports against it.
import * as z from "../../core/zod.ts";

const severity = z.enum(["error", "warning", "info"]);

export const jsonFindingSchema = z.object({
  ruleId: z.string(),
  severity,
  message: z.string(),
  location: z.object({
    environment: z.string(),
    objectType: z.string(),
    /** Qualified name: `public.orders.email`, `/shop/staging/STRIPE_KEY`, `work_mem`. */
    object: z.string(),
  }),
  expected: z.unknown().optional(),
  actual: z.unknown().optional(),
  /** Unified diff for changed definitions. */
  diff: z.string().optional(),
});

export const jsonReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.literal("parity"),
  /** The parity version that wrote the report (added in 0.1; optional for older reports). */
  toolVersion: z.string().optional(),
  configFile: z.string(),
  baseline: z.string(),
  targets: z.array(z.string()),
  /** 0 no error-severity drift, 1 drift, 2 an environment could not be read. */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  summary: z.object({
    environments: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    infos: z.number().int(),
    ignored: z.number().int(),
    unreadable: z.number().int(),
  }),
  environments: z.array(
    z.object({
      name: z.string(),
      role: z.enum(["baseline", "target"]),
      status: z.enum(["ok", "drift", "error"]),
    }),
  ),
  checks: z.array(
    z.object({
      environment: z.string(),
      check: z.string(),
      source: z.enum(["database", "config", "rds"]),
      status: z.enum(["passed", "failed", "error", "skipped"]),
      findings: z.number().int(),
      ignored: z.number().int(),
      message: z.string().optional(),
      /** Milliseconds of the target's read (with any finish step) and the comparison. */
      durationMs: z.number().optional(),
    }),
  ),
  /** Every reported finding, sorted by environment, rule, object. */
  findings: z.array(jsonFindingSchema),
  /** Findings hidden by the ignore list, with the entry that hid each. */
  ignored: z.array(
    z.object({
      finding: jsonFindingSchema,
      ignore: z.object({
        index: z.number().int(),
        rule: z.string(),
        object: z.string(),
        environment: z.string().optional(),
        reason: z.string(),
        until: z.string().optional(),
      }),
    }),
  ),
  /** Environments (or sources of them) that could not be read. */
  errors: z.array(z.object({ environment: z.string(), check: z.string(), message: z.string() })),
  startedAt: z.string(),
  durationMs: z.number(),
});

export type JsonReport = z.infer<typeof jsonReportSchema>;
