// parity promote's core on real PostgreSQL: apply (the change is there, the record holds the plan,
// the snapshot and the reverse plan), a failure half way (nothing changed, a "failed" record), a
// target changed since the preview (refused, nothing changed), lint errors refused unless accepted,
// statements outside the transaction, and undo by reverse plan and by the template copy.
import { describe, expect, it } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { compareSnapshots } from "../../audit/drift/checks/database/compare.ts";
import type { PlanFile } from "../../audit/plan/plan-file.ts";
import { planMigration } from "../../audit/plan/planner.ts";
import { applyPlan } from "../../audit/promote/apply.ts";
import { schemaSha256 } from "../../audit/promote/hashes.ts";
import { promote } from "../../audit/promote/promote.ts";
import { recordBodySchema } from "../../audit/promote/record/record-file.ts";
import { undo } from "../../audit/promote/undo.ts";
import { query, testedMajors } from "../support/databases.ts";
import { BASE, columnsOf, databasesLike, makePair, memoryLog, STAGING_CHANGE, schemaOf } from "./support.ts";

const major = testedMajors().at(-1) ?? 15;

/** What the audit would report between two reads of one database: nothing but engine facts. */
function drift(before: Awaited<ReturnType<typeof schemaOf>>, after: Awaited<ReturnType<typeof schemaOf>>) {
  return compareSnapshots(before, after).filter((finding) => !finding.ruleId.startsWith("engine/"));
}

describe("parity promote (core)", () => {
  it("applies the plan in one transaction, after a template copy, and records plan, snapshot and reverse plan", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const log = memoryLog();
    const result = await promote({ config: pair.config, from: "staging", to: "production", log });
    expect(result.reasons).toEqual([]);
    expect(result.status).toBe("applied");
    expect(result.exitCode).toBe(0);
    expect(await columnsOf(pair.production.url)).toContain("loyalty_tier");
    const [record] = log.records;
    expect(record).toBeDefined();
    const body = recordBodySchema.parse(record?.body);
    expect(body.planSha256).toBe(result.preview.planSha256);
    expect(body.plan.statements.map((s) => s.summary)).toEqual(
      expect.arrayContaining([expect.stringContaining("loyalty_tier")]),
    );
    expect(body.steps.every((step) => step.outcome === "applied")).toBe(true);
    expect(body.snapshot).toMatchObject({ kind: "template-database" });
    expect(await databasesLike(major, pair.production.name)).toContain(body.snapshot?.id);
    expect(body.to.systemIdentifier).toMatch(/^\d+$/);
    expect(body.to.serverVersion).toMatch(new RegExp(`^${major}\\.`));
    expect(body.reversePlan?.statements.map((s) => s.sql).join("\n")).toMatch(/DROP .*loyalty_tier/);
    expect(body.reversePlanSha256).toMatch(/^[0-9a-f]{64}$/);
    // Nothing left to promote.
    const again = await promote({ config: pair.config, from: "staging", to: "production", log });
    expect(again.status).toBe("nothing-to-apply");
    expect(log.records).toHaveLength(1);
  });

  it("a statement that fails late rolls everything back, and still writes a failed record", async () => {
    // The unique index comes after the new column in the plan; production's duplicates make it fail.
    const pair = await makePair(major, {
      staging: `${BASE + STAGING_CHANGE} create unique index customers_note_key on public.customers (note);`,
      production: `${BASE} update public.customers set note = 'same';`,
    });
    const before = await schemaOf(pair.production.url);
    const log = memoryLog();
    const result = await promote({ config: pair.config, from: "staging", to: "production", log });
    expect(result.status).toBe("failed");
    expect(result.exitCode).toBe(1);
    expect(result.reasons.join()).toMatch(/customers_note_key/);
    expect(result.reasons.join()).not.toContain("same"); // the server's DETAIL (row values) is never kept
    expect(drift(before, await schemaOf(pair.production.url))).toEqual([]);
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    const body = log.records[0]?.body;
    expect(body?.outcome).toBe("failed");
    expect(body?.reversePlan).toBeNull();
    expect(body?.steps.some((step) => step.outcome === "failed" && /customers_note_key/.test(step.sql))).toBe(
      true,
    );
    expect(body?.steps.some((step) => step.outcome === "applied")).toBe(false);
  });

  it("refuses when the target changed between the preview and the apply, and changes nothing", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const log = memoryLog();
    const result = await promote({
      config: pair.config,
      from: "staging",
      to: "production",
      log,
      // Someone adds a column on production while the preview is on screen.
      onPreview: () =>
        query(pair.production.url, "alter table public.customers add column hotfix text").then(() => {}),
    });
    expect(result.status).toBe("refused");
    expect(result.exitCode).toBe(1);
    expect(result.reasons.join()).toContain("the plan changed since the preview");
    expect(await columnsOf(pair.production.url)).toEqual(["email", "hotfix", "id", "note"]);
    expect(log.records).toEqual([]);
    expect(await databasesLike(major, pair.production.name)).toEqual([]);
  });

  it("refuses a plan other than the one --plan-sha256 pinned", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const log = memoryLog();
    const dry = await promote({ config: pair.config, from: "staging", to: "production", dryRun: true });
    expect(dry.status).toBe("dry-run");
    await query(pair.staging.url, "alter table public.customers add column later text");
    const result = await promote({
      config: pair.config,
      from: "staging",
      to: "production",
      log,
      expectedPlanSha256: dry.preview.planSha256,
    });
    expect(result.status).toBe("refused");
    expect(result.reasons.join()).toContain("--plan-sha256");
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    // The same plan as the dry run's is applied.
    await query(pair.staging.url, "alter table public.customers drop column later");
    const pinned = await promote({
      config: pair.config,
      from: "staging",
      to: "production",
      log,
      expectedPlanSha256: dry.preview.planSha256,
    });
    expect(pinned.status).toBe("applied");
  });

  it("refuses lint errors unless --accept-risk names their rule, and records what was accepted", async () => {
    const pair = await makePair(
      major,
      { staging: BASE + STAGING_CHANGE, production: `${BASE} analyze public.customers;` },
      "lint: { smallTableRows: 0, errorAfterSeconds: 0.0000001, warningAfterSeconds: 0.00000001 }",
    );
    const log = memoryLog();
    const refused = await promote({ config: pair.config, from: "staging", to: "production", log });
    expect(refused.status).toBe("refused");
    expect(refused.reasons.join()).toContain("--accept-risk lint/create-index-not-concurrently");
    expect(refused.preview.lint?.findings.map((f) => f.ruleId)).toContain(
      "lint/create-index-not-concurrently",
    );
    // The plan runs with lock_timeout set: lint is told so and does not ask for one.
    expect(refused.preview.lint?.findings.map((f) => f.ruleId)).not.toContain("lint/missing-lock-timeout");
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    const accepted = await promote({
      config: pair.config,
      from: "staging",
      to: "production",
      log,
      acceptRisk: ["create-index-not-concurrently"],
    });
    expect(accepted.status).toBe("applied");
    expect(log.records[0]?.body.acceptedRisks).toEqual([
      expect.objectContaining({ rule: "lint/create-index-not-concurrently", statement: expect.any(Number) }),
    ]);
  });

  it("refuses statements that cannot run in a transaction unless allowed, then runs them after the commit", async () => {
    const pair = await makePair(major, { staging: BASE, production: BASE });
    const plan: PlanFile = {
      schemaVersion: 1,
      from: { environment: "staging", database: "x", serverVersionNum: 150000, major: 15 },
      to: { environment: "production", database: "y", serverVersionNum: 150000, major: 15 },
      refusals: [],
      statements: [
        {
          sql: "ALTER TABLE public.customers ADD COLUMN tier text",
          summary: "add column",
          action: "alter",
          objects: [],
          hazards: [],
          transactional: true,
        },
        {
          sql: "CREATE INDEX CONCURRENTLY customers_tier_idx ON public.customers (tier)",
          summary: "create index concurrently",
          action: "create",
          objects: [],
          hazards: [{ kind: "non-transactional", detail: "CONCURRENTLY" }],
          transactional: false,
        },
      ],
    };
    const options = { lockTimeoutMs: 5000, statementTimeoutMs: 60_000 };
    const refused = await applyPlan(pair.production.url, plan, { ...options, allowNonTransactional: false });
    expect(refused).toMatchObject({ outcome: "failed", committed: false });
    expect(refused.error).toContain("--allow-non-transactional");
    expect(await columnsOf(pair.production.url)).not.toContain("tier");
    const applied = await applyPlan(pair.production.url, plan, { ...options, allowNonTransactional: true });
    expect(applied.outcome).toBe("applied");
    expect(applied.steps.map((step) => [step.transactional, step.outcome])).toEqual([
      [true, "applied"],
      [false, "applied"],
    ]);
    const indexes = await query(
      pair.production.url,
      "select indexname from pg_indexes where indexname = 'customers_tier_idx'",
    );
    expect(indexes).toHaveLength(1);
  });
});

describe("parity undo (core)", () => {
  it("by reverse plan: the target's schema is back to its pre-promotion state, with no drift left", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const saved = await schemaOf(pair.production.url);
    const log = memoryLog();
    const promoted = await promote({ config: pair.config, from: "staging", to: "production", log });
    expect(promoted.status).toBe("applied");
    const id = promoted.record?.body.id as string;
    const result = await undo({ config: pair.config, recordId: id, log });
    expect(result.reasons).toEqual([]);
    expect(result).toMatchObject({ status: "applied", backToBefore: true, exitCode: 0 });
    const after = await schemaOf(pair.production.url);
    expect(drift(saved, after)).toEqual([]);
    expect(planMigration(saved, after).statements).toEqual([]);
    expect(schemaSha256(after)).toBe(schemaSha256(saved));
    expect(log.records[1]?.body).toMatchObject({
      kind: "undo",
      undoes: id,
      undoMethod: "reverse-plan",
      outcome: "applied",
    });
    expect(log.records[1]?.body.previousHash).toBe(log.records[0]?.hash);
    const twice = await undo({ config: pair.config, recordId: id, log });
    expect(twice.status).toBe("refused");
    expect(twice.reasons.join()).toContain("already undone");
  });

  it("refuses the reverse plan when the target changed after the promotion", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const log = memoryLog();
    const promoted = await promote({ config: pair.config, from: "staging", to: "production", log });
    await query(pair.production.url, "create table public.after_promotion (id int)");
    const result = await undo({ config: pair.config, recordId: promoted.record?.body.id as string, log });
    expect(result.status).toBe("refused");
    expect(result.reasons.join()).toContain("production changed since promotion");
    expect(await columnsOf(pair.production.url)).toContain("loyalty_tier");
    expect(log.records).toHaveLength(1);
  });

  it("by --restore: the database is replaced from its template copy, the promoted one kept aside", async () => {
    // The promotion drops production's legacy column: no plan brings its data back.
    const pair = await makePair(major, {
      staging: BASE + STAGING_CHANGE,
      production: `${BASE} alter table public.customers add column legacy int default 7;`,
    });
    const log = memoryLog();
    const promoted = await promote({ config: pair.config, from: "staging", to: "production", log });
    expect(promoted.status).toBe("applied");
    const reverse = promoted.record?.body.reversePlan;
    expect(reverse?.statements).toEqual([]);
    expect(reverse?.refusals.map((r) => r.reason).join()).toContain("--restore");
    const id = promoted.record?.body.id as string;
    const byPlan = await undo({ config: pair.config, recordId: id, log });
    expect(byPlan.status).toBe("refused");
    expect(byPlan.reasons.join()).toContain("--restore");
    const restored = await undo({ config: pair.config, recordId: id, log, restore: true });
    expect(restored.status).toBe("applied");
    expect(await columnsOf(pair.production.url)).toEqual(["email", "id", "legacy", "note"]);
    const rows = await query<{ legacy: number }>(
      pair.production.url,
      "select legacy from public.customers limit 1",
    );
    expect(rows[0]?.legacy).toBe(7);
    expect(await databasesLike(major, pair.production.name)).toContain(restored.movedAsideTo);
    expect(log.records[1]?.body).toMatchObject({
      kind: "undo",
      undoMethod: "restore",
      snapshot: { kind: "template-database" },
    });
  });

  it("refuses the template copy while someone else is connected to the target", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const log = memoryLog();
    await withClient(pair.production.url, async (client) => {
      await client.query("SET application_name = 'someone-else'");
      const result = await promote({ config: pair.config, from: "staging", to: "production", log });
      expect(result.status).toBe("refused");
      expect(result.reasons.join()).toContain('"someone-else"');
    });
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    expect(log.records).toEqual([]);
  });
});

describe("parity promote (core), cancelled", () => {
  it("stops with nothing applied when cancelled after the preview", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const log = memoryLog();
    const controller = new AbortController();
    const result = await promote({
      config: pair.config,
      from: "staging",
      to: "production",
      log,
      signal: controller.signal,
      onPreview: () => controller.abort(),
    });
    expect(result).toMatchObject({ status: "refused", exitCode: 1 });
    expect(result.reasons.join()).toContain("cancelled");
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    expect(log.records).toEqual([]);
  });
});
