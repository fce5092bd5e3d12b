// The seed-003 story end to end on real servers, through `npm run demo -- lint` (so the demo is kept
// working by the same test): the same reviewed migration passes against a staging of 200 orders
// (PostgreSQL 13) and fails against a production of 1,000,000 (PostgreSQL 15) with the lock it takes,
// and the estimate is within 3× of the real CREATE INDEX, timed on that production right after (fastest of 3).
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { LintEvidence } from "../../audit/lint/rule.ts";
import { runLintDemo } from "../../examples/demo/lint-demo.ts";
import { PRODUCTION_ORDERS, SEED_MIGRATION_FILE } from "../../examples/demo/seed-003.ts";

const parents: string[] = [];
afterEach(async () => {
  await Promise.all(parents.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

it("seed-003: passes on staging's 200 orders, fails on production's million with the lock and an estimate within 3×", async () => {
  // Short: the demo servers' socket paths must fit in 107 bytes.
  const parent = await mkdtemp(join(tmpdir(), "pl-"));
  parents.push(parent);
  await chmod(parent, 0o755);
  const chunks: string[] = [];
  const outcome = await runLintDemo({ tempParent: parent, write: (text) => chunks.push(text) });
  const output = chunks.join("");

  expect(outcome.stagingExitCode, output).toBe(0);
  expect(outcome.staging.result.findings).toEqual([]);
  expect(outcome.staging.result.serverVersionNum).toBeLessThan(140000);

  expect(outcome.productionExitCode, output).toBe(1);
  expect(outcome.production.result.serverVersionNum).toBeGreaterThanOrEqual(150000);
  const [finding, ...others] = outcome.production.result.findings;
  expect(others).toEqual([]);
  expect(finding?.ruleId).toBe("lint/create-index-not-concurrently");
  expect(finding?.severity).toBe("error");
  expect(finding?.location).toEqual({
    environment: "production",
    objectType: "table",
    object: "public.orders",
  });
  expect(finding?.message).toMatch(
    new RegExp(
      `^${SEED_MIGRATION_FILE}:4:1: CREATE INDEX orders_created_at_idx on public\\.orders \\(1,000,000 rows, `,
    ),
  );
  expect(finding?.message).toContain(
    "takes a SHARE lock (blocks every INSERT, UPDATE and DELETE; reads go on) for ~",
  );
  expect(finding?.expected).toBe("CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at)");
  const evidence = finding?.actual as LintEvidence;
  expect(evidence).toMatchObject({ lock: "SHARE", rows: PRODUCTION_ORDERS, rowsFrom: "statistics" });

  process.stdout.write(
    `seed-003: estimated ${outcome.estimatedSeconds} s, real build ${outcome.realSeconds.toFixed(3)} s\n`,
  );
  expect(outcome.estimatedSeconds).toBe(evidence.estimatedSeconds);
  expect(outcome.estimatedSeconds).toBeGreaterThan(outcome.realSeconds / 3);
  expect(outcome.estimatedSeconds).toBeLessThan(outcome.realSeconds * 3);

  expect(output).toContain(
    "safe rewrite: CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at)",
  );
  expect(output).toContain("✔ the seed-003 migration is caught before it reaches production");
  expect(outcome.exitCode).toBe(0);
  expect(await readdir(parent)).toEqual([]);
});
