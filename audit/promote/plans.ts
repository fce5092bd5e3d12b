// The plans of a promotion, from parity's one model (audit/schema): the forward plan (source's
// schema onto the target, as `parity plan` makes it) and the reverse plan (the target's
// pre-promotion schema onto its promoted one), computed at promotion time and kept in the record.
import { EnvironmentReadError, ParityInputError } from "../core/errors.ts";
import { PLAN_SCHEMA_VERSION, type PlanFile, type PlanIdentity } from "../plan/plan-file.ts";
import { planMigration } from "../plan/planner.ts";
import { type IntrospectOptions, introspectDatabase } from "../schema/introspect.ts";
import type { DatabaseSnapshot } from "../schema/model.ts";
import { describeDatabase, type PromotionSide } from "./sides.ts";

export async function readSchema(side: PromotionSide, filter: IntrospectOptions): Promise<DatabaseSnapshot> {
  try {
    return await introspectDatabase(side.url, { ...filter, environment: side.name });
  } catch (error) {
    if (error instanceof ParityInputError || error instanceof EnvironmentReadError) throw error;
    throw new EnvironmentReadError(
      side.name,
      `database ${describeDatabase(side.url)}`,
      (error as Error).message,
      {
        cause: error,
      },
    );
  }
}

export function planIdentity(side: PromotionSide, snapshot: DatabaseSnapshot): PlanIdentity {
  return {
    environment: side.name,
    database: describeDatabase(side.url),
    serverVersionNum: snapshot.engine.versionNum,
    major: snapshot.engine.major,
  };
}

/** The plan that turns `to`'s schema into `from`'s. */
export function makePlan(
  from: { side: PromotionSide; snapshot: DatabaseSnapshot },
  to: { side: PromotionSide; snapshot: DatabaseSnapshot },
): PlanFile {
  const { statements, refusals } = planMigration(from.snapshot, to.snapshot);
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    from: planIdentity(from.side, from.snapshot),
    to: planIdentity(to.side, to.snapshot),
    statements,
    refusals,
  };
}

/**
 * The plan back from the promoted schema to the pre-promotion one. What the forward plan lost
 * (a dropped column, a narrowed type: its `data-loss` hazards) no plan brings back: those become
 * refusals, the reverse plan has no statements, and undo must use --restore.
 */
export function reversePlanOf(
  forward: PlanFile,
  target: PromotionSide,
  before: DatabaseSnapshot,
  after: DatabaseSnapshot,
): PlanFile {
  const plan = makePlan({ side: target, snapshot: before }, { side: target, snapshot: after });
  const lost = forward.statements.flatMap((statement) =>
    statement.hazards
      .filter((hazard) => hazard.kind === "data-loss")
      .map((hazard) => ({
        objectType: statement.objects[0]?.objectType ?? "object",
        name: statement.objects[0]?.name ?? statement.summary,
        reason: `the promotion ran "${statement.summary}" (${hazard.detail}); a plan cannot bring the data back: undo with --restore`,
      })),
  );
  if (lost.length === 0) return plan;
  return { ...plan, statements: [], refusals: [...plan.refusals, ...lost] };
}
