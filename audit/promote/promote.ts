// `parity promote`'s core: preview → (refuse | dry run) → re-plan and compare the hash → snapshot
// → apply in one transaction → reverse plan → signed record. Each step's I/O is its own module;
// this file is the order and the rules between them. A failure after the snapshot still writes a
// record (outcome "failed"); a refusal before it changes nothing and writes nothing.
import { randomUUID } from "node:crypto";
import { ParityInputError } from "../core/errors.ts";
import { VERSION } from "../core/version.ts";
import type { ParityConfig } from "../parity-config/types.ts";
import { applyPlan } from "./apply.ts";
import { planSha256, schemaSha256 } from "./hashes.ts";
import { readIdentity } from "./identity.ts";
import { makePlan, readSchema, reversePlanOf } from "./plans.ts";
import { buildPreview, type Preview } from "./preview.ts";
import type { PromotionLog } from "./promotion-log.ts";
import type { Approver, PromotionSnapshot, RecordBody, SignedRecord } from "./record/record-file.ts";
import { resolveSides } from "./sides.ts";
import { templateCopyName } from "./snapshot/names.ts";
import type { RdsSnapshotOptions } from "./snapshot/rds-snapshot.ts";
import { createTemplateCopy, maintenanceUrl } from "./snapshot/template-copy.ts";

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15 * 60_000;

export interface PromoteOptions {
  config: ParityConfig;
  from: string;
  to: string;
  dryRun?: boolean;
  acceptRisk?: readonly string[];
  /** Approvers already resolved (--approved-by, GitHub reviews). */
  approvers?: readonly Approver[];
  allowNonTransactional?: boolean;
  /** The hash a previous dry run printed: apply refuses unless the plan is still exactly that. */
  expectedPlanSha256?: string;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Required unless dryRun. */
  log?: PromotionLog;
  rds?: RdsSnapshotOptions;
  pulumiPath?: string;
  signal?: AbortSignal;
  /** Called with the preview before anything is applied (the CLI prints it there). */
  onPreview?: (preview: Preview) => void | Promise<void>;
  /** Progress lines ("taking the snapshot …"). */
  progress?: (line: string) => void;
  now?: () => Date;
  id?: string;
}

export type PromoteStatus = "dry-run" | "nothing-to-apply" | "refused" | "applied" | "failed";

export interface PromoteResult {
  preview: Preview;
  status: PromoteStatus;
  /** Why it was refused or failed. */
  reasons: string[];
  record?: SignedRecord;
  snapshot?: PromotionSnapshot;
  /** 0 applied / dry run clean / nothing to apply, 1 refused or failed. */
  exitCode: 0 | 1;
}

export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const allowNonTransactional = options.allowNonTransactional ?? false;
  if (!options.dryRun && !options.log) {
    throw new ParityInputError(
      "promote: no record log to append to (the config's promotion: block); use --dry-run to preview",
    );
  }
  const [source, target] = resolveSides(options.config, options.from, options.to);
  const preview = await buildPreview({
    config: options.config,
    source,
    target,
    acceptRisk: options.acceptRisk ?? [],
    allowNonTransactional,
    lockTimeoutMs,
    statementTimeoutMs,
    ...(options.pulumiPath !== undefined ? { pulumiPath: options.pulumiPath } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await options.onPreview?.(preview);
  const refused = (reasons: string[]): PromoteResult => ({
    preview,
    status: "refused",
    reasons,
    exitCode: 1,
  });
  const pinned = options.expectedPlanSha256?.toLowerCase();
  if (pinned !== undefined && pinned !== preview.planSha256) {
    return refused([
      `the plan is not the one --plan-sha256 pinned (${pinned}); it is ${preview.planSha256}: the source or the target changed since that preview`,
    ]);
  }
  const cancelled = () =>
    options.signal?.aborted ? refused(["cancelled (Ctrl-C) before anything was applied"]) : undefined;
  if (preview.refusals.length > 0) return refused(preview.refusals);
  if (options.dryRun) return cancelled() ?? { preview, status: "dry-run", reasons: [], exitCode: 0 };
  if (preview.plan.statements.length === 0)
    return { preview, status: "nothing-to-apply", reasons: [], exitCode: 0 };
  const log = options.log as PromotionLog;
  const progress = options.progress ?? (() => {});

  // Right before applying: read both sides again; any change since the preview changes the hash.
  const [fromNow, beforeSchema] = await Promise.all([
    readSchema(source, source.filter),
    readSchema(target, source.filter),
  ]);
  const plan = makePlan({ side: source, snapshot: fromNow }, { side: target, snapshot: beforeSchema });
  const hash = planSha256(plan);
  if (hash !== preview.planSha256) {
    return refused([
      `the plan changed since the preview (${preview.planSha256} → ${hash}): the source or the target changed; nothing was done, run promote again`,
    ]);
  }
  const [fromIdentity, toIdentity] = await Promise.all([
    readIdentity(source, options.rds),
    readIdentity(target, options.rds),
  ]);

  const stop = cancelled();
  if (stop) return stop;
  const id = options.id ?? randomUUID();
  progress(`promotion ${id}: taking the pre-promotion snapshot of ${target.name} …`);
  let snapshot: PromotionSnapshot;
  if (target.rds) {
    const { createRdsSnapshot, SnapshotWaitError } = await import("./snapshot/rds-snapshot.ts");
    try {
      snapshot = await createRdsSnapshot(target.rds, target.name, id, {
        ...options.rds,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      // Cancelled, timed out or failed while RDS took it: nothing was applied.
      if (error instanceof SnapshotWaitError) {
        return refused([
          `${error.message}; nothing was applied (the snapshot is tagged parity:promotion-id=${id})`,
        ]);
      }
      throw error;
    }
  } else {
    const copy = templateCopyName(maintenanceUrl(target.url).database, id);
    try {
      await createTemplateCopy(target.url, copy);
    } catch (error) {
      const { SnapshotRefusedError } = await import("./snapshot/template-copy.ts");
      if (error instanceof SnapshotRefusedError) return refused([error.message]);
      throw error;
    }
    snapshot = { kind: "template-database", id: copy, createdAt: now().toISOString() };
  }

  // After the snapshot, the last moment to stop with nothing applied (the snapshot stays).
  if (options.signal?.aborted) return { ...(cancelled() as PromoteResult), snapshot };
  progress(`promotion ${id}: applying ${plan.statements.length} statement(s) in one transaction …`);
  const applied = await applyPlan(target.url, plan, {
    lockTimeoutMs,
    statementTimeoutMs,
    allowNonTransactional,
  });
  let reversePlan: RecordBody["reversePlan"] = null;
  let schemaHashes: RecordBody["targetSchemaSha256"];
  if (applied.committed) {
    const afterSchema = await readSchema(target, source.filter);
    reversePlan = reversePlanOf(plan, target, beforeSchema, afterSchema);
    schemaHashes = { before: schemaSha256(beforeSchema), after: schemaSha256(afterSchema) };
  }
  const body: Omit<RecordBody, "previousHash"> = {
    schemaVersion: 1,
    id,
    kind: "promote",
    startedAt,
    finishedAt: now().toISOString(),
    parityVersion: VERSION,
    from: fromIdentity,
    to: toIdentity,
    plan,
    planSha256: hash,
    reversePlan,
    reversePlanSha256: reversePlan ? planSha256(reversePlan) : null,
    configChanges: preview.configChanges.changes,
    snapshot,
    acceptedRisks: preview.risks.accepted,
    approvers: [...(options.approvers ?? [])],
    steps: applied.steps,
    outcome: applied.outcome,
    ...(schemaHashes ? { targetSchemaSha256: schemaHashes } : {}),
  };
  const record = await log.append(body);
  return {
    preview,
    status: applied.outcome,
    reasons: applied.error ? [applied.error] : [],
    record,
    snapshot,
    exitCode: applied.outcome === "applied" ? 0 : 1,
  };
}
