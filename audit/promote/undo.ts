// `parity undo`'s core. By default: the reverse plan stored at promotion time, in one transaction,
// only while the target's schema still hashes to what the promotion left (else it was changed
// since, and the plan would not fit). With --restore: the pre-promotion snapshot (embedded: the
// database replaced from its template copy, the promoted one kept aside; RDS: a NEW instance or
// cluster, with the switch-over steps). Either way undo appends its own signed record.
import { randomUUID } from "node:crypto";
import { ParityInputError } from "../core/errors.ts";
import { VERSION } from "../core/version.ts";
import type { ParityConfig } from "../parity-config/types.ts";
import { PLAN_SCHEMA_VERSION, type PlanFile } from "../plan/plan-file.ts";
import { applyPlan } from "./apply.ts";
import { planSha256, schemaSha256 } from "./hashes.ts";
import { readIdentity } from "./identity.ts";
import { readSchema } from "./plans.ts";
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from "./promote.ts";
import type { PromotionLog } from "./promotion-log.ts";
import type { Approver, PromotionStep, RecordBody, SignedRecord } from "./record/record-file.ts";
import { resolveSide } from "./sides.ts";
import type { RdsRestore } from "./snapshot/rds-restore.ts";
import type { RdsSnapshotOptions } from "./snapshot/rds-snapshot.ts";
import { SnapshotRefusedError } from "./snapshot/template-copy.ts";

export interface UndoOptions {
  config: ParityConfig;
  recordId: string;
  restore?: boolean;
  approvers?: readonly Approver[];
  log: PromotionLog;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  rds?: RdsSnapshotOptions;
  progress?: (line: string) => void;
  now?: () => Date;
  id?: string;
}

export interface UndoResult {
  status: "applied" | "failed" | "refused";
  reasons: string[];
  promotion: SignedRecord;
  record?: SignedRecord;
  /** undo --restore on RDS: the new instance or cluster and what to do next. */
  rdsRestore?: RdsRestore;
  /** undo --restore embedded: where the promoted database was moved (kept). */
  movedAsideTo?: string;
  /** By reverse plan: the target's schema is back to its pre-promotion hash. */
  backToBefore?: boolean;
  exitCode: 0 | 1;
}

export async function undo(options: UndoOptions): Promise<UndoResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const records = await options.log.list();
  const promotion = records.find((record) => record.body.id === options.recordId);
  if (!promotion) {
    throw new ParityInputError(`undo ${options.recordId}: no record with that id in ${options.log.where}`);
  }
  if (promotion.body.kind !== "promote") {
    throw new ParityInputError(
      `undo ${options.recordId}: that record is an undo (of ${promotion.body.undoes}), not a promotion`,
    );
  }
  const refused = (reasons: string[]): UndoResult => ({ status: "refused", reasons, promotion, exitCode: 1 });
  const earlier = records.find(
    (record) =>
      record.body.kind === "undo" &&
      record.body.undoes === promotion.body.id &&
      record.body.outcome === "applied",
  );
  if (earlier)
    return refused([`promotion ${promotion.body.id} was already undone (record ${earlier.body.id})`]);
  const committed =
    promotion.body.outcome === "applied" || promotion.body.steps.some((step) => step.outcome === "applied");
  if (!committed)
    return refused([`promotion ${promotion.body.id} failed and changed nothing: there is nothing to undo`]);

  const targetName = promotion.body.to.environment;
  if (targetName === null)
    throw new ParityInputError(`undo ${options.recordId}: the promotion's target has no environment name`);
  const target = resolveSide(options.config, targetName, "--to");
  const sourceName = promotion.body.from.environment;
  const filter =
    sourceName && options.config.environments[sourceName]?.database
      ? resolveSide(options.config, sourceName, "--from").filter
      : target.filter;
  const id = options.id ?? randomUUID();
  const progress = options.progress ?? (() => {});
  const identity = await readIdentity(target, options.rds);

  const base = {
    schemaVersion: 1 as const,
    id,
    kind: "undo" as const,
    undoes: promotion.body.id,
    startedAt,
    parityVersion: VERSION,
    from: identity,
    to: identity,
    reversePlan: null,
    reversePlanSha256: null,
    configChanges: [],
    acceptedRisks: [],
    approvers: [...(options.approvers ?? [])],
  };

  if (!options.restore) {
    const reverse = promotion.body.reversePlan;
    if (!reverse) return refused([`promotion ${promotion.body.id} has no reverse plan: undo with --restore`]);
    if (reverse.refusals.length > 0) {
      return refused([
        "the reverse plan cannot undo this promotion; undo with --restore:",
        ...reverse.refusals.map((refusal) => `${refusal.objectType} ${refusal.name}: ${refusal.reason}`),
      ]);
    }
    const expected = promotion.body.targetSchemaSha256?.after;
    if (!expected)
      return refused([
        `promotion ${promotion.body.id} recorded no promoted schema hash: undo with --restore`,
      ]);
    const current = await readSchema(target, filter);
    const currentHash = schemaSha256(current);
    if (currentHash !== expected) {
      return refused([
        `${target.name} changed since promotion ${promotion.body.id} (its schema hashes ${currentHash}, the promotion left ${expected}): the reverse plan no longer fits; nothing was done. Undo with --restore, or plan the way back with parity plan`,
      ]);
    }
    progress(
      `undo ${id}: applying the reverse plan (${reverse.statements.length} statement(s)) in one transaction …`,
    );
    const applied = await applyPlan(target.url, reverse, {
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      allowNonTransactional: false,
    });
    const after = applied.committed ? schemaSha256(await readSchema(target, filter)) : undefined;
    const body: Omit<RecordBody, "previousHash"> = {
      ...base,
      undoMethod: "reverse-plan",
      finishedAt: now().toISOString(),
      plan: reverse,
      planSha256: planSha256(reverse),
      snapshot: null,
      steps: applied.steps,
      outcome: applied.outcome,
      ...(after ? { targetSchemaSha256: { before: currentHash, after } } : {}),
    };
    const record = await options.log.append(body);
    return {
      status: applied.outcome,
      reasons: applied.error ? [applied.error] : [],
      promotion,
      record,
      ...(after ? { backToBefore: after === promotion.body.targetSchemaSha256?.before } : {}),
      exitCode: applied.outcome === "applied" ? 0 : 1,
    };
  }

  const snapshot = promotion.body.snapshot;
  if (!snapshot) return refused([`promotion ${promotion.body.id} has no snapshot to restore`]);
  const plan: PlanFile = promotion.body.reversePlan ?? {
    schemaVersion: PLAN_SCHEMA_VERSION,
    from: promotion.body.plan.to,
    to: promotion.body.plan.to,
    statements: [],
    refusals: [],
  };
  let steps: PromotionStep[];
  let rdsRestore: RdsRestore | undefined;
  let movedAsideTo: string | undefined;
  progress(`undo ${id}: restoring ${target.name} from ${snapshot.kind} ${snapshot.id} …`);
  if (snapshot.kind === "template-database") {
    if (target.rds)
      return refused([
        `${target.name} is an RDS target now, but the promotion's snapshot is a template copy`,
      ]);
    const { restoreFromTemplateCopy, maintenanceUrl } = await import("./snapshot/template-copy.ts");
    try {
      movedAsideTo = (await restoreFromTemplateCopy(target.url, snapshot.id, id)).movedAsideTo;
    } catch (error) {
      if (error instanceof SnapshotRefusedError) return refused([error.message]);
      throw error;
    }
    const database = maintenanceUrl(target.url).database;
    steps = [
      {
        sql: `ALTER DATABASE ${database} RENAME TO ${movedAsideTo}`,
        transactional: false,
        outcome: "applied",
      },
      {
        sql: `CREATE DATABASE ${database} TEMPLATE ${snapshot.id}`,
        transactional: false,
        outcome: "applied",
      },
    ];
  } else {
    if (!target.rds)
      return refused([
        `${target.name} has no rds: identity in the config; its snapshot ${snapshot.id} is an RDS one`,
      ]);
    const { restoreRdsSnapshot } = await import("./snapshot/rds-restore.ts");
    rdsRestore = await restoreRdsSnapshot(target.rds, target.name, snapshot, id, options.rds ?? {});
    steps = [
      {
        sql: `-- ${rdsRestore.kind === "instance" ? "RestoreDBInstanceFromDBSnapshot" : "RestoreDBClusterFromSnapshot"} ${snapshot.id} → ${rdsRestore.identifier} (the original ${rdsRestore.original} untouched)`,
        transactional: false,
        outcome: "applied",
      },
    ];
  }
  const body: Omit<RecordBody, "previousHash"> = {
    ...base,
    undoMethod: "restore",
    finishedAt: now().toISOString(),
    plan,
    planSha256: planSha256(plan),
    snapshot,
    steps,
    outcome: "applied",
  };
  const record = await options.log.append(body);
  return {
    status: "applied",
    reasons: [],
    promotion,
    record,
    ...(rdsRestore ? { rdsRestore } : {}),
    ...(movedAsideTo ? { movedAsideTo } : {}),
    exitCode: 0,
  };
}
