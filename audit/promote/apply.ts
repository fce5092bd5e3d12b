// The apply step: the whole plan in one transaction, bounded by lock_timeout and statement_timeout,
// or nothing. Statements that cannot run in a transaction block are refused unless allowed, and then
// run one by one after the COMMIT, each recorded. Only the server's message is kept on failure: its
// DETAIL can quote row values (a duplicate key), and a record never holds data.
import { failureOf, newClient } from "../core/pg-client.ts";
import type { PlanFile } from "../plan/plan-file.ts";
import type { PromotionStep } from "./record/record-file.ts";

export interface ApplyOptions {
  /** `lock_timeout` of the transaction: a statement waits this long for its lock, then the whole plan fails. */
  lockTimeoutMs: number;
  /** `statement_timeout` of each statement. */
  statementTimeoutMs: number;
  /** Run statements with transactional=false after the commit (else the plan is refused before anything). */
  allowNonTransactional: boolean;
  /** `application_name` of the session, so others (and the template copy's check) can tell it is parity's. */
  applicationName?: string;
}

export interface ApplyResult {
  outcome: "applied" | "failed";
  steps: PromotionStep[];
  /** What failed, in one line (the server's message; never its DETAIL). */
  error?: string;
  /** true once the transaction committed: a failed non-transactional step after it leaves those changes. */
  committed: boolean;
}

/** The statements that cannot run in the transaction, by index. */
export function nonTransactional(plan: PlanFile): number[] {
  return plan.statements.flatMap((statement, index) => (statement.transactional ? [] : [index]));
}

/** The session SQL the transaction starts with (also what lint is told the plan runs in). */
export function sessionSql(options: Pick<ApplyOptions, "lockTimeoutMs" | "statementTimeoutMs">): string {
  return [
    "BEGIN",
    `SET LOCAL lock_timeout = ${Math.round(options.lockTimeoutMs)}`,
    `SET LOCAL statement_timeout = ${Math.round(options.statementTimeoutMs)}`,
  ].join(";\n");
}

export async function applyPlan(url: string, plan: PlanFile, options: ApplyOptions): Promise<ApplyResult> {
  const statements = plan.statements;
  const later = nonTransactional(plan);
  if (later.length > 0 && !options.allowNonTransactional) {
    // Callers check this before the snapshot; kept here too so applyPlan alone is never half done.
    return {
      outcome: "failed",
      committed: false,
      error: `${later.length} statement(s) cannot run in a transaction (statements ${later.join(", ")}); pass --allow-non-transactional`,
      steps: statements.map((statement) => step(statement, "not-run")),
    };
  }
  const client = newClient({
    connectionString: url,
    application_name: options.applicationName ?? "parity promote",
  });
  await client.connect();
  const outcomes: PromotionStep[] = statements.map((statement) => step(statement, "not-run"));
  try {
    await client.query(sessionSql(options));
    let index = -1;
    try {
      for (index = 0; index < statements.length; index++) {
        const statement = statements[index];
        if (!statement?.transactional) continue;
        await client.query(statement.sql);
      }
      index = -1;
      await client.query("COMMIT");
    } catch (error) {
      const message = failureOf(client, error).message;
      await client.query("ROLLBACK").catch(() => undefined);
      const failed = outcomes[index];
      if (failed) Object.assign(failed, { outcome: "failed", error: message });
      const where = index >= 0 ? `statement ${index} (${statements[index]?.summary})` : "COMMIT";
      return { outcome: "failed", committed: false, steps: outcomes, error: `${where}: ${message}` };
    }
    for (const [i, statement] of statements.entries()) {
      if (statement.transactional) (outcomes[i] as PromotionStep).outcome = "applied";
    }
    // After the commit: each non-transactional statement on its own, in plan order, stopping at the first failure.
    for (const i of later) {
      const statement = statements[i];
      if (!statement) continue;
      try {
        await client.query(`SET lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
        await client.query(`SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
        await client.query(statement.sql);
        (outcomes[i] as PromotionStep).outcome = "applied";
      } catch (error) {
        const message = failureOf(client, error).message;
        Object.assign(outcomes[i] as PromotionStep, { outcome: "failed", error: message });
        return {
          outcome: "failed",
          committed: true,
          steps: outcomes,
          error: `statement ${i} (${statement.summary}), after the transaction committed: ${message}`,
        };
      }
    }
    return { outcome: "applied", committed: true, steps: outcomes };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function step(statement: PlanFile["statements"][number], outcome: PromotionStep["outcome"]): PromotionStep {
  return { sql: statement.sql, transactional: statement.transactional, outcome };
}
