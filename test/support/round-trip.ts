// The plan's round trip, shared by the case table test and the migra corpus runner: with a and b
// loaded, plan b → a (the SQL that turns a into b), apply it to a in one transaction, read a
// again and compare it with b. Passing means no drift left; a refusal is an honest outcome.
import type pg from "pg";
import type { Finding } from "../../audit/core/finding.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { compareSnapshots } from "../../audit/drift/checks/database/compare.ts";
import type { Refusal } from "../../audit/plan/plan-file.ts";
import { planMigration } from "../../audit/plan/planner.ts";
import { type IntrospectOptions, introspectDatabase } from "../../audit/schema/introspect.ts";

/** Differences of the servers themselves, which no plan changes (a and b may run different majors). */
const ENGINE_ONLY = new Set([
  "engine/major-version",
  "engine/minor-version",
  "engine/locale",
  "engine/setting",
  "engine/default-privilege",
]);

export interface RoundTrip {
  outcome: "pass" | "refused" | "failed-to-apply" | "drift-left";
  statements: string[];
  refusals: Refusal[];
  error?: string;
  /** Drift left after applying the plan. */
  findings: Finding[];
}

export async function applyInTransaction(client: pg.Client, statements: readonly string[]): Promise<void> {
  await client.query("BEGIN");
  try {
    for (const sql of statements) await client.query(sql);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/**
 * Plans b → a and applies it to `urlA`, which is changed; `applyAs` is the URL to apply it
 * through when a's objects belong to another role than the one reading it.
 */
export async function roundTrip(
  urlA: string,
  urlB: string,
  options: IntrospectOptions = {},
  applyAs: string = urlA,
): Promise<RoundTrip> {
  const [a, b] = await Promise.all([introspectDatabase(urlA, options), introspectDatabase(urlB, options)]);
  const plan = planMigration(b, a);
  const statements = plan.statements.map((statement) => statement.sql);
  const result: RoundTrip = { outcome: "pass", statements, refusals: plan.refusals, findings: [] };
  if (plan.refusals.length > 0) return { ...result, outcome: "refused" };
  try {
    await withClient(applyAs, (client) => applyInTransaction(client, statements));
  } catch (error) {
    return { ...result, outcome: "failed-to-apply", error: (error as Error).message };
  }
  const after = await introspectDatabase(urlA, options);
  result.findings = compareSnapshots(b, after, { baseline: "b", target: "a+plan" }).filter(
    (finding) =>
      !ENGINE_ONLY.has(finding.ruleId) &&
      // The read's own filter patterns (a case's excludeSchemas may name a schema only one side
      // has), not a difference the plan could remove.
      finding.ruleId !== "schema/pattern-unmatched" &&
      // Across majors an extension's version is the target server's (docs/plan.md).
      !(finding.ruleId === "engine/extension-version" && a.engine.major !== b.engine.major),
  );
  if (result.findings.length > 0) result.outcome = "drift-left";
  return result;
}
