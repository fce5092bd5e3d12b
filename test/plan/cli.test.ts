// `parity plan` end to end on real servers: staging on PostgreSQL 15 is promoted to production on
// PostgreSQL 13 through environment names in a parity config.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { parsePlanFile } from "../../audit/plan/plan-file.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { applyInTransaction } from "../support/round-trip.ts";

const PRODUCTION = `
create table public.orders (id bigint primary key, status text not null, note text);
create type public.state as enum ('new', 'paid');`;
const STAGING = `
create type public.state as enum ('new', 'paid', 'shipped');
create table public.orders (id bigint primary key, status text not null, email text,
  state public.state not null default 'new');
create index orders_email_idx on public.orders (email);`;
const SECRET = "s3cret-pa55word";

let dir: string;
const databases: TestDatabase[] = [];
let config: string;

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = SECRET;
  return parsed.toString();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parity-plan-cli-"));
  const [production, staging, partitioned] = await Promise.all([
    createTestDatabase(13, PRODUCTION, { autoDrop: false, prefix: "plan_prod" }),
    createTestDatabase(15, STAGING, { autoDrop: false, prefix: "plan_staging" }),
    createTestDatabase(15, "create table public.orders (id bigint, status text) partition by hash (id);", {
      autoDrop: false,
      prefix: "plan_part",
    }),
  ]);
  databases.push(production, staging, partitioned);
  config = join(dir, "parity.config.yaml");
  await writeFile(
    config,
    [
      "baseline: production",
      "environments:",
      `  production: { database: { url: "${withPassword(production.url)}" } }`,
      `  staging: { database: { url: "${withPassword(staging.url)}" } }`,
      `  partitioned: { database: { url: "${partitioned.url}" } }`,
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  await rm(dir, { recursive: true, force: true });
});

describe("parity plan", () => {
  it("prints the JSON plan lint reads: statements with their objects and hazards, no secrets", async () => {
    const run = await runCli(
      "plan",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      config,
      "--reporter",
      "json",
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain(SECRET);
    const plan = parsePlanFile(JSON.parse(run.stdout));
    expect(plan.from).toMatchObject({ environment: "staging", major: 15 });
    expect(plan.to).toMatchObject({ environment: "production", major: 13 });
    expect(plan.from.database).not.toContain("postgres@");
    const byObject = (name: string) =>
      plan.statements.filter((statement) => statement.objects.some((object) => object.name === name));
    expect(byObject("public.orders.note")[0]).toMatchObject({
      sql: 'ALTER TABLE "public"."orders" DROP COLUMN IF EXISTS "note"',
      hazards: expect.arrayContaining([expect.objectContaining({ kind: "data-loss" })]),
    });
    expect(byObject("public.orders_email_idx")[0]?.hazards).toContainEqual(
      expect.objectContaining({ kind: "lock", lock: { mode: "SHARE", on: "public.orders" } }),
    );
    // The new label is added in place, and on 13 that can run in the plan's transaction.
    const label = byObject("public.state").find((statement) => statement.sql.includes("ADD VALUE"));
    expect(label).toMatchObject({
      transactional: true,
      sql: expect.stringContaining("'shipped' AFTER 'paid'"),
    });
    // Drops of columns come before the index on the new column is created.
    const order = plan.statements.map((statement) => statement.sql);
    expect(order.findIndex((sql) => sql.includes("DROP COLUMN"))).toBeLessThan(
      order.findIndex((sql) => sql.startsWith("CREATE INDEX")),
    );
  });

  it("writes --out atomically, the plan applies in one transaction, and then there is nothing to plan", async () => {
    const out = join(dir, "promote.sql");
    const first = await runCli(
      "plan",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      config,
      "--out",
      out,
    );
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toBe("");
    const sql = await readFile(out, "utf8");
    expect(sql).toMatch(/^-- parity plan: turns production \(PostgreSQL 13\) into staging \(PostgreSQL 15\)/);
    expect(sql).toContain("-- hazard data-loss: every value of public.orders.note is lost");
    expect(sql).not.toContain(SECRET);
    const statements = JSON.parse(
      (
        await runCli(
          "plan",
          "--from",
          "staging",
          "--to",
          "production",
          "--config",
          config,
          "--reporter",
          "json",
        )
      ).stdout,
    ).statements.map((statement: { sql: string }) => statement.sql);
    await withClient(databases[0]?.url as string, (client) => applyInTransaction(client, statements));
    const again = await runCli("plan", "--from", "staging", "--to", "production", "--config", config);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("0 statements");
  });

  it("refuses what it cannot plan safely, naming the object, and writes nothing", async () => {
    const out = join(dir, "refused.sql");
    const run = await runCli(
      "plan",
      "--from",
      "partitioned",
      "--to",
      "production",
      "--config",
      config,
      "--out",
      out,
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("table public.orders: kind, partitionKey changed");
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [["--from", "nowhere", "--to", "production"], "--from nowhere: no environment of that name"],
    [["--from", "staging", "--to", "staging"], "--from and --to are the same"],
    [
      ["--from", "staging", "--to", "production", "--reporter", "xml"],
      "--reporter xml: expected one of text, json",
    ],
  ])("rejects bad input %j with exit 2", async (args, message) => {
    const run = await runCli("plan", ...args, "--config", config);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("reports a database it cannot read by its side, without the password", async () => {
    const run = await runCli(
      "plan",
      "--from",
      `postgresql://u:${SECRET}@127.0.0.1:1/none`,
      "--to",
      "production",
      "--config",
      config,
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^parity: warning: a database URL on the command line carries a password.*\nparity: --from: could not read/,
    );
    expect(run.stderr).not.toContain(SECRET);
  });
});
