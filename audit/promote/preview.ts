// The preview, always made (and printed) first: the schema plan and its hash, its lint findings on
// the target's real sizes, the config keys the target lacks, the Pulumi stack's own preview, and
// every reason apply would be refused. Nothing here writes to either database.
import type { LintResult } from "../lint/result.ts";
import type { ParityConfig } from "../parity-config/types.ts";
import type { PlanFile } from "../plan/plan-file.ts";
import type { DatabaseSnapshot } from "../schema/model.ts";
import { nonTransactional, sessionSql } from "./apply.ts";
import { type ConfigChanges, readConfigChanges } from "./config-changes.ts";
import { planSha256 } from "./hashes.ts";
import { judgeRisks, lintPlan, type RiskVerdict } from "./lint-plan.ts";
import { makePlan, readSchema } from "./plans.ts";
import { type PulumiPreview, previewStack } from "./pulumi-preview.ts";
import type { PromotionSide } from "./sides.ts";

export interface PreviewOptions {
  config: ParityConfig;
  source: PromotionSide;
  target: PromotionSide;
  acceptRisk: readonly string[];
  allowNonTransactional: boolean;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Search path for `pulumi` (tests put a fake first). */
  pulumiPath?: string;
  signal?: AbortSignal;
}

export interface Preview {
  from: string;
  to: string;
  plan: PlanFile;
  planSha256: string;
  /** null when there is nothing to lint (no statements, or the plan was refused). */
  lint: LintResult | null;
  risks: RiskVerdict;
  configChanges: ConfigChanges;
  pulumi: PulumiPreview | null;
  /** Statement indexes that cannot run in the transaction. */
  nonTransactional: number[];
  /** What the pre-promotion snapshot will be. */
  snapshotKind: "rds-db-snapshot" | "rds-cluster-snapshot" | "template-database";
  /** Every reason apply is refused; empty: it may go ahead. */
  refusals: string[];
  /** The target's schema as read for the preview. */
  targetSchema: DatabaseSnapshot;
}

export async function buildPreview(options: PreviewOptions): Promise<Preview> {
  const { source, target, config } = options;
  // One filter for both sides (the source's), as `parity plan` does.
  const [fromSchema, toSchema] = await Promise.all([
    readSchema(source, source.filter),
    readSchema(target, source.filter),
  ]);
  const plan = makePlan({ side: source, snapshot: fromSchema }, { side: target, snapshot: toSchema });
  const lintable = plan.refusals.length === 0 && plan.statements.length > 0;
  const [lint, configChanges, pulumi] = await Promise.all([
    lintable ? lintPlan(plan, target, config, sessionSql(options)) : Promise.resolve(null),
    readConfigChanges(source, target, config.dir),
    target.pulumi
      ? previewStack(target.pulumi, {
          configDir: config.dir,
          ...(options.pulumiPath !== undefined ? { path: options.pulumiPath } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : Promise.resolve(null),
  ]);
  const risks = judgeRisks(lint?.findings ?? [], options.acceptRisk);
  const later = nonTransactional(plan);
  const refusals = [
    ...plan.refusals.map(
      (refusal) => `parity will not plan ${refusal.objectType} ${refusal.name}: ${refusal.reason}`,
    ),
    ...risks.blocking.map(
      (rule) =>
        `lint reports errors for ${rule}: fix the plan, or accept the risk with --accept-risk ${rule}`,
    ),
    ...(later.length > 0 && !options.allowNonTransactional
      ? [
          `statement(s) ${later.join(", ")} cannot run in a transaction; pass --allow-non-transactional to run them after the commit, each on its own`,
        ]
      : []),
  ];
  const snapshotKind = target.rds?.cluster
    ? "rds-cluster-snapshot"
    : target.rds?.instance
      ? "rds-db-snapshot"
      : "template-database";
  return {
    from: source.name,
    to: target.name,
    plan,
    planSha256: planSha256(plan),
    lint,
    risks,
    configChanges,
    pulumi,
    nonTransactional: later,
    snapshotKind,
    refusals,
    targetSchema: toSchema,
  };
}
