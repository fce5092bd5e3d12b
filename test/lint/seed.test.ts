// The seed-003 story end to end on real servers: the same reviewed migration passes against a
// staging of 200 orders (PostgreSQL 13) and fails against a production of 1,000,000 (PostgreSQL 15)
// with the lock it takes and an estimate within 3× of the real build, timed on the same database.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import type { LintEvidence } from "../../audit/lint/rule.ts";
import {
  loadOrders,
  ORDERS_TABLE,
  PRODUCTION_ORDERS,
  SEED_INDEX_BUILD,
  SEED_MIGRATION,
  SEED_MIGRATION_FILE,
  STAGING_ORDERS,
} from "../../examples/demo/seed-003.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

let staging: TestDatabase;
let production: TestDatabase;
let dir: string;

beforeAll(async () => {
  [staging, production] = await Promise.all([
    createTestDatabase(13, ORDERS_TABLE + loadOrders(STAGING_ORDERS), {
      autoDrop: false,
      prefix: "lint_staging",
    }),
    createTestDatabase(15, ORDERS_TABLE + loadOrders(PRODUCTION_ORDERS), {
      autoDrop: false,
      prefix: "lint_production",
    }),
  ]);
  dir = await mkdtemp(join(tmpdir(), "parity-lint-seed-"));
  await writeFile(join(dir, SEED_MIGRATION_FILE), SEED_MIGRATION);
  await writeFile(
    join(dir, "parity.config.yaml"),
    [
      "baseline: production",
      "environments:",
      `  production: { database: { url: "${production.url}" } }`,
      `  staging: { database: { url: "${staging.url}" } }`,
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await Promise.all([staging?.drop(), production?.drop(), dir && rm(dir, { recursive: true, force: true })]);
});

describe("seed-003: CREATE INDEX without CONCURRENTLY", () => {
  it("passes against staging's 200 orders", async () => {
    const run = await runCli(
      "lint",
      join(dir, SEED_MIGRATION_FILE),
      "--against",
      "staging",
      "--config",
      join(dir, "parity.config.yaml"),
    );
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("no findings");
  });

  it("fails against production's million orders, with the lock and an estimate within 3× of the real build", async () => {
    const run = await runCli(
      "lint",
      join(dir, SEED_MIGRATION_FILE),
      "--against",
      "production",
      "--config",
      join(dir, "parity.config.yaml"),
      "--reporter",
      "json",
    );
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as {
      findings: Array<{
        ruleId: string;
        severity: string;
        message: string;
        actual: LintEvidence;
        expected: string;
      }>;
    };
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding?.ruleId).toBe("lint/create-index-not-concurrently");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toMatch(
      /:4:1: CREATE INDEX orders_created_at_idx on public\.orders \(1,000,000 rows/,
    );
    expect(finding?.message).toContain(
      "takes a SHARE lock (blocks every INSERT, UPDATE and DELETE; reads go on) for ~",
    );
    expect(finding?.expected).toBe("CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at)");
    expect(finding?.actual.lock).toBe("SHARE");
    expect(finding?.actual.rows).toBe(PRODUCTION_ORDERS);

    const started = performance.now();
    await withClient(production.url, (client) => client.query(SEED_INDEX_BUILD));
    const realSeconds = (performance.now() - started) / 1000;
    const estimated = finding?.actual.estimatedSeconds ?? 0;
    process.stdout.write(`seed-003: estimated ${estimated} s, real build ${realSeconds.toFixed(3)} s\n`);
    expect(estimated).toBeGreaterThan(realSeconds / 3);
    expect(estimated).toBeLessThan(realSeconds * 3);
  });
});
