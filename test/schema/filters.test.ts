// Include/exclude patterns, the databaseCheck contract, bad input and unreachable databases.
import { describe, expect, it } from "vitest";
import type { DatabaseSpec } from "../../audit/core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import {
  compareSnapshots,
  type DatabaseSnapshot,
  databaseCheck,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, serverUrl } from "../support/databases.ts";

const BASELINE = `
create schema app; create schema scratch;
create table app.orders (id int primary key, note text);
create table app.audit_log (id int, at timestamptz);
create table scratch.tmp (id int);
create table public.kept (id int);`;

const TARGET = `
create schema app; create schema scratch;
create table app.orders (id int primary key, note varchar(10));
create table app.audit_log (id int);
create table scratch.tmp (id bigint);
create table public.kept (id int);`;

async function findings(options: Parameters<typeof introspectDatabase>[1]) {
  const [a, b] = await Promise.all([createTestDatabase(15, BASELINE), createTestDatabase(15, TARGET)]);
  const [baseline, target] = await Promise.all([
    introspectDatabase(a.url, options),
    introspectDatabase(b.url, options),
  ]);
  return compareSnapshots(baseline, target)
    .map((f) => f.location.object)
    .sort();
}

describe("include and exclude patterns", () => {
  it("compares every user schema by default", async () => {
    expect(await findings({})).toEqual(["app.audit_log.at", "app.orders.note", "scratch.tmp.id"]);
  });

  it("keeps only the schemas asked for", async () => {
    expect(await findings({ schemas: ["app"] })).toEqual(["app.audit_log.at", "app.orders.note"]);
  });

  it("leaves out excluded schemas, by pattern", async () => {
    expect(await findings({ excludeSchemas: ["scr*"] })).toEqual(["app.audit_log.at", "app.orders.note"]);
  });

  it("leaves out excluded objects with everything that belongs to them", async () => {
    expect(await findings({ excludeObjects: ["app.audit_*"] })).toEqual([
      "app.orders.note",
      "scratch.tmp.id",
    ]);
  });

  it("keeps only included objects", async () => {
    expect(await findings({ includeObjects: ["app.orders"] })).toEqual(["app.orders.note"]);
  });

  it("rejects an empty pattern as bad input, before connecting", async () => {
    await expect(
      introspectDatabase("postgres://nobody@127.0.0.1:1/none", { excludeObjects: ["app.x", " "] }),
    ).rejects.toThrow(ParityInputError);
    await expect(
      introspectDatabase("postgres://nobody@127.0.0.1:1/none", { excludeObjects: [""] }),
    ).rejects.toThrow(/excludeObjects\[0\]/);
  });
});

describe("databaseCheck", () => {
  it("reading together, an environment that cannot be read is an error for it alone", async () => {
    const a = await createTestDatabase(15, BASELINE);
    const specs = new Map<string, DatabaseSpec>([
      ["production", { url: a.url }],
      ["staging", { url: "postgres://nobody@127.0.0.1:1/none" }],
      ["preview", { url: " " }],
    ]);
    const results =
      (await databaseCheck.readTogether?.(specs, { baseline: "production", configDir: "." })) ?? new Map();
    expect([...results.keys()]).toEqual(["production", "staging", "preview"]);
    expect((results.get("production") as DatabaseSnapshot).objects["table:app.orders"]).toBeDefined();
    expect(results.get("staging")).toBeInstanceOf(EnvironmentReadError);
    expect(results.get("preview")).toBeInstanceOf(ParityInputError);
  });

  it("reading together when cancelled leaves no connection open", async () => {
    const [a, b] = await Promise.all([createTestDatabase(15, BASELINE), createTestDatabase(15, TARGET)]);
    const controller = new AbortController();
    const specs = new Map<string, DatabaseSpec>([
      ["production", { url: a.url }],
      ["staging", { url: b.url }],
    ]);
    const reading = databaseCheck.readTogether?.(specs, {
      baseline: "production",
      configDir: ".",
      signal: controller.signal,
    });
    controller.abort();
    const results = await reading;
    for (const result of results?.values() ?? []) expect(result).toBeInstanceOf(Error);
    const open = async () =>
      withClient(serverUrl(15), async (client) => {
        const rows = await client.query<{ count: string }>(
          "select count(*) from pg_stat_activity where datname = any($1) and application_name = 'parity'",
          [[a.name, b.name]],
        );
        return Number(rows.rows[0]?.count);
      });
    await expect.poll(open, { timeout: 5000 }).toBe(0);
  });

  it("reads through the spec and compares with environment names", async () => {
    const [a, b] = await Promise.all([createTestDatabase(15, BASELINE), createTestDatabase(15, TARGET)]);
    const specs = new Map([
      ["production", { url: a.url, schemas: ["scratch"] }],
      ["staging", { url: b.url, schemas: ["scratch"] }],
    ]);
    const together = await databaseCheck.readTogether?.(specs, { baseline: "production", configDir: "." });
    const baseline = together?.get("production") as DatabaseSnapshot;
    const target = together?.get("staging") as DatabaseSnapshot;
    // One environment at a time reads the same.
    const alone = await databaseCheck.read(specs.get("staging") as DatabaseSpec, {
      environment: "staging",
      configDir: ".",
    });
    expect(alone.objects).toEqual(target.objects);
    const result = databaseCheck.compare(baseline, target, { baseline: "production", target: "staging" });
    expect(databaseCheck.id).toBe("database");
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      ruleId: "schema/changed",
      severity: "error",
      location: { environment: "staging", objectType: "column", object: "scratch.tmp.id" },
      expected: { type: "integer" },
      actual: { type: "bigint" },
    });
    expect(result[0]?.message).toBe("column scratch.tmp.id differs: type integer → bigint");
  });

  it("names the environment when a database cannot be reached (exit code 2)", async () => {
    const error = await databaseCheck
      .read({ url: "postgres://postgres@127.0.0.1:1/nowhere" }, { configDir: ".", environment: "staging" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect((error as EnvironmentReadError).message).toMatch(/^staging: could not read database/);
    expect((error as EnvironmentReadError).exitCode).toBe(2);
  });

  it("rejects a spec without a url as bad input", async () => {
    await expect(databaseCheck.read({ url: "" }, { configDir: ".", environment: "staging" })).rejects.toThrow(
      ParityInputError,
    );
  });

  it("documents every rule it can report", () => {
    expect(databaseCheck.rules?.map((rule) => rule.id)).toEqual([
      "engine/default-privilege",
      "engine/extension-version",
      "engine/locale",
      "engine/major-version",
      "engine/minor-version",
      "engine/setting",
      "schema/changed",
      "schema/dependent",
      "schema/extra",
      "schema/missing",
      "schema/pattern-unmatched",
    ]);
    for (const rule of databaseCheck.rules ?? []) expect(rule.description.length).toBeGreaterThan(10);
  });
});

describe("cancelling a read", () => {
  it("rejects with a read error when the audit is cancelled", async () => {
    const database = await createTestDatabase(15, "create table public.t (id int);");
    const before = new AbortController();
    before.abort();
    await expect(introspectDatabase(database.url, { signal: before.signal })).rejects.toThrow(/cancelled/);

    const during = new AbortController();
    const read = introspectDatabase(database.url, { signal: during.signal });
    during.abort();
    await expect(read).rejects.toThrow(EnvironmentReadError);
  });
});
