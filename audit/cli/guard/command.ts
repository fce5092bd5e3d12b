// `parity guard --preview preview.json`: fails CI before `pulumi up` when a protected database
// would be replaced or deleted without a declared refresh.
//
// Why: a clone ignores `snapshotIdentifier`/`restoreToPointInTime` after its first create, and
// Pulumi copies ignored properties into a replacement, so any ForceNew change (subnet group, KMS
// key, availability zones, storage encryption…) would silently rebuild staging from the OLD snapshot
// — which production's retention may already have deleted. The one declared way to rebuild is a
// new clone generation: the database gets a new logical name, so the preview shows a `create` of
// the new one and a `delete` of the old one, never a `replace`.
//
// Input: the document `pulumi preview --json` prints (Pulumi's display.PreviewDigest, in
// sdk/pkg/display/json.go): `{ config, steps: [{ op, urn, provider, oldState, newState,
// diffReasons, replaceReasons, detailedDiff }], diagnostics, duration, changeSummary }`, where a
// state is apitype.ResourceV3 (`urn`, `type`, `inputs`, `outputs`, …). Replacements appear as
// `replace`, `create-replacement` and `delete-replaced` steps.
import { ParityInputError } from "../../core/errors.ts";
import { readTextFile } from "../../core/read-text-file.ts";
import * as z from "../../core/zod.ts";

/** Databases whose replacement loses (or silently re-restores) data. */
export const PROTECTED_TYPES: readonly string[] = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"];

const REPLACING_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

const stateSchema = z.looseObject({
  urn: z.string().optional(),
  type: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
});
const stepSchema = z.looseObject({
  op: z.string(),
  urn: z.string(),
  oldState: stateSchema.optional(),
  newState: stateSchema.optional(),
  replaceReasons: z.array(z.string()).optional(),
  diffReasons: z.array(z.string()).optional(),
});
const digestSchema = z.looseObject({
  steps: z.array(stepSchema).optional(),
  changeSummary: z.record(z.string(), z.number()).optional(),
});

export type PreviewStep = z.infer<typeof stepSchema>;
export type PreviewDigest = z.infer<typeof digestSchema>;

export interface GuardViolation {
  urn: string;
  type: string;
  op: string;
  message: string;
}

export interface GuardResult {
  /** Protected databases the preview touches destructively, each refused with the reason. */
  violations: GuardViolation[];
  /** Deletes accepted as part of a declared refresh (old generation replaced by a new one). */
  refreshes: { deleted: string; created: string }[];
  exitCode: 0 | 1;
}

/** `urn:pulumi:stack::project::a$b$type::name` → type and logical name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = parts[2]?.split("$") ?? [];
  return { type: types[types.length - 1] ?? "", name: parts.slice(3).join("::") };
}

/**
 * The database's name without its clone generation: `shop-staging-db-g2-instance` and
 * `shop-staging-db-g3-instance` (components/replacement.ts `databaseResourceName`) are one database
 * at two generations.
 */
export function withoutGeneration(name: string): string {
  return name.replace(/-db-g[^:]+?-(instance|cluster)$/, "-db-$1");
}

function tierOf(step: PreviewStep): string | undefined {
  const tags = (step.oldState?.inputs?.tags ?? step.newState?.inputs?.tags) as
    | Record<string, unknown>
    | undefined;
  return typeof tags?.["parity:tier"] === "string" ? tags["parity:tier"] : undefined;
}

/** Pure: the verdict on a preview's steps. */
export function guardPreview(digest: PreviewDigest): GuardResult {
  const steps = digest.steps ?? [];
  const typeOf = (step: PreviewStep) => step.newState?.type ?? step.oldState?.type ?? parseUrn(step.urn).type;
  const protectedSteps = steps.filter((step) => PROTECTED_TYPES.includes(typeOf(step)));
  const created = protectedSteps.filter((step) => step.op === "create");
  const violations: GuardViolation[] = [];
  const refreshes: GuardResult["refreshes"] = [];
  const replaced = new Set<string>();

  for (const step of protectedSteps) {
    const type = typeOf(step);
    const { name } = parseUrn(step.urn);
    if (REPLACING_OPS.has(step.op)) {
      if (replaced.has(step.urn)) continue; // one message per database, not one per replace step
      replaced.add(step.urn);
      const reasons = step.replaceReasons?.length ? ` (${step.replaceReasons.join(", ")})` : "";
      violations.push({
        urn: step.urn,
        type,
        op: step.op,
        message: `${name} would be replaced${reasons}. A replaced clone is restored again from the snapshot it ignores (production's retention may have deleted it), and a replaced production loses its data. Revert the change, or rebuild on purpose by bumping the clone generation (parity:cloneGeneration)`,
      });
      continue;
    }
    if (step.op !== "delete") continue;
    const tier = tierOf(step);
    const successor = created.find(
      (candidate) =>
        typeOf(candidate) === type &&
        parseUrn(candidate.urn).name !== name &&
        withoutGeneration(parseUrn(candidate.urn).name) === withoutGeneration(name),
    );
    if (tier === "production") {
      violations.push({
        urn: step.urn,
        type,
        op: step.op,
        message: `${name} is production's database and would be deleted; parity never deletes production`,
      });
    } else if (successor) {
      refreshes.push({ deleted: step.urn, created: successor.urn });
    } else {
      violations.push({
        urn: step.urn,
        type,
        op: step.op,
        message: `${name} would be deleted with no new generation of it created in the same update; bump the clone generation (parity:cloneGeneration) to rebuild, or remove the database from the program on purpose with pulumi destroy`,
      });
    }
  }
  return { violations, refreshes, exitCode: violations.length > 0 ? 1 : 0 };
}

/** Parses `pulumi preview --json` output; anything else is bad input naming the file. */
export function parsePreviewDigest(text: string, file: string): PreviewDigest {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ParityInputError(
      `${file}: not JSON (${(error as Error).message}); write it with pulumi preview --json > ${file}`,
    );
  }
  const parsed = digestSchema.safeParse(document);
  if (!parsed.success || Array.isArray(document)) {
    const problems = parsed.success
      ? ["expected the object pulumi preview --json prints, got an array"]
      : parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new ParityInputError(`${file}: not the output of pulumi preview --json`, problems);
  }
  if (parsed.data.steps === undefined && parsed.data.changeSummary === undefined) {
    throw new ParityInputError(
      `${file}: no "steps" and no "changeSummary": not the output of pulumi preview --json`,
    );
  }
  return parsed.data;
}

export async function runGuard(options: { previewFile: string }): Promise<GuardResult> {
  const text = await readTextFile(
    options.previewFile,
    (reason) => new ParityInputError(`${options.previewFile}: cannot read the preview: ${reason}`),
  );
  return guardPreview(parsePreviewDigest(text, options.previewFile));
}

export function formatGuardResult(result: GuardResult): string {
  const lines: string[] = [];
  for (const violation of result.violations) lines.push(`REFUSED ${violation.op}: ${violation.message}`);
  for (const refresh of result.refreshes) {
    lines.push(
      `ok: ${parseUrn(refresh.deleted).name} is replaced by its new generation ${parseUrn(refresh.created).name}`,
    );
  }
  lines.push(
    result.violations.length === 0
      ? "parity guard: no protected database is replaced or deleted without a declared refresh"
      : `parity guard: ${result.violations.length} protected database change(s) refused; nothing was deployed`,
  );
  return `${lines.join("\n")}\n`;
}
