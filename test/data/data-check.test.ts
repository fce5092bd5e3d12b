import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DatabaseSpec } from "../../audit/core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import type { Finding } from "../../audit/core/finding.ts";
import { LOCK_BUDGET } from "../../audit/drift/checks/data/batches.ts";
import { dataCheck } from "../../audit/drift/checks/data/index.ts";
import { estimate, readDataSnapshot } from "../../audit/drift/checks/data/read.ts";
import type { DataSnapshot } from "../../audit/drift/checks/data/types.ts";
import { createTestDatabase, query } from "../support/databases.ts";

const environments = { baseline: "production", target: "staging" };

/** Both environments read together, as the runner does it. */
async function readPair(baselineSpec: DatabaseSpec, targetSpec: DatabaseSpec, configDir = "/nonexistent") {
  const specs = new Map([
    ["production", baselineSpec],
    ["staging", targetSpec],
  ]);
  const finished = await dataCheck.readTogether?.(specs, { baseline: "production", configDir });
  const [baseline, target] = [finished?.get("production"), finished?.get("staging")];
  if (!baseline || baseline instanceof Error) throw baseline ?? new Error("baseline not finished");
  if (!target || target instanceof Error) throw target ?? new Error("target not finished");
  return { baseline, target };
}

async function audit(baselineSpec: DatabaseSpec, targetSpec: DatabaseSpec, configDir = "/nonexistent") {
  const { baseline, target } = await readPair(baselineSpec, targetSpec, configDir);
  return dataCheck.compare(baseline, target, environments);
}

async function readOne(spec: DatabaseSpec, configDir: string): Promise<DataSnapshot> {
  const read = await readDataSnapshot(spec, { environment: "staging", configDir });
  await read.close();
  return read.snapshot;
}

const only = (findings: Finding[], ruleId: string) => findings.filter((finding) => finding.ruleId === ruleId);

const CUSTOMERS_SQL = `
  create table customers (
    id int generated always as identity primary key,
    email text not null unique,
    full_name text,
    phone text,
    email_verified boolean not null default false,
    password_changed_at timestamptz,
    last_ip inet,
    birth_date date,
    api_token text,
    notes text
  );
  create table orders (id serial primary key, customer_email text references customers (email), total numeric);
`;

const RULES = `
tables:
  customers:
    email: email
    full_name: name
    phone: phone
    last_ip: null
    birth_date: { fixed: "1970-01-01" }
    api_token: { safe: "opaque internal id, not a credential, reviewed 2026-03" }
`;

let configDir: string;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), "parity-data-"));
  await writeFile(join(configDir, "masking.yaml"), RULES);
  await writeFile(join(configDir, "broken.yaml"), "tables:\n  customers:\n    email: rot13\n");
});

describe.each([13, 15] as const)("dataCheck on PostgreSQL %i", (major) => {
  it("masking coverage: quiet when every PII column is ruled, then flags a PII column added later", async () => {
    const baseline = await createTestDatabase(major, CUSTOMERS_SQL);
    const target = await createTestDatabase(major, CUSTOMERS_SQL);
    const targetSpec = { url: target.url, maskingRules: "masking.yaml" };

    // orders.customer_email follows customers.email by foreign key; the boolean and the timestamp are not PII.
    expect(only(await audit({ url: baseline.url }, targetSpec, configDir), "data/masking-coverage")).toEqual(
      [],
    );

    await query(
      target.url,
      "alter table customers add column billing_email text, add column home_address text",
    );
    const findings = only(await audit({ url: baseline.url }, targetSpec, configDir), "data/masking-coverage");
    expect(findings.map((finding) => [finding.severity, finding.location.object, finding.actual])).toEqual([
      ["error", "public.customers.billing_email", "email"],
      ["error", "public.customers.home_address", "address"],
    ]);
    expect(findings[0]?.message).toContain(`no masking rule in ${join(configDir, "masking.yaml")}`);
    expect(findings[0]?.message).toContain("`billing_email: email`");
  });

  it("masking coverage: generated columns are exempt, materialized views are covered through what they read", async () => {
    const baseline = await createTestDatabase(major, CUSTOMERS_SQL);
    const target = await createTestDatabase(
      major,
      `${CUSTOMERS_SQL}
       alter table customers add column email_lower text generated always as (lower(email)) stored;
       create materialized view customer_report as select email, full_name from customers;
       create table leads (id int primary key, contact_email text, phone_count int);
       create materialized view lead_report as select contact_email as lead_email from leads;`,
    );
    const findings = only(
      await audit({ url: baseline.url }, { url: target.url, maskingRules: "masking.yaml" }, configDir),
      "data/masking-coverage",
    );
    expect(findings.map((finding) => [finding.location.object, finding.actual])).toEqual([
      ["public.lead_report.lead_email", "email"],
      ["public.leads.contact_email", "email"],
    ]);
    expect(findings[0]?.message).toContain("a materialized view column");
    expect(findings[0]?.message).toContain("the view reads no ruled column");
  });

  it("masking coverage: warns about rules for columns the target no longer has", async () => {
    const baseline = await createTestDatabase(major, CUSTOMERS_SQL);
    const target = await createTestDatabase(
      major,
      `${CUSTOMERS_SQL} alter table customers drop column phone;`,
    );
    const findings = only(
      await audit({ url: baseline.url }, { url: target.url, maskingRules: join(configDir, "masking.yaml") }),
      "data/masking-coverage",
    );
    expect(findings.map((finding) => [finding.severity, finding.location.object])).toEqual([
      ["warning", "public.customers.phone"],
    ]);
  });

  it("masking coverage: foreign keys name the right columns past dropped ones; the baseline's columns are not read", async () => {
    // Dropped columns keep their numbers: customers.email is attnum 3 (after legacy_code), orders.ref_email 5.
    const sql = `${CUSTOMERS_SQL.replace("email text not null unique,", "legacy_code text, email text not null unique,")}
       alter table customers drop column legacy_code;
       alter table orders add column gone int, add column ref_email text references customers (email);
       alter table orders drop column gone;`;
    const baseline = await createTestDatabase(major, sql);
    const target = await createTestDatabase(major, sql);
    const { baseline: read, target: snapshot } = await readPair(
      { url: baseline.url, maskingRules: "masking.yaml" },
      { url: target.url, maskingRules: "masking.yaml" },
      configDir,
    );
    expect(snapshot.foreignKeyPairs).toEqual([
      ["public.orders.customer_email", "public.customers.email"],
      ["public.orders.ref_email", "public.customers.email"],
    ]);
    expect(
      snapshot.columns.filter((column) => column.table === "orders").map((column) => column.column),
    ).toEqual(["id", "customer_email", "total", "ref_email"]);
    expect(
      dataCheck.compare(read, snapshot, environments).filter((f) => f.ruleId === "data/masking-coverage"),
    ).toEqual([]);
    // The rules take only sequences and row estimates from the baseline.
    expect(read).toMatchObject({ baselineOnly: true, columns: [], foreignKeyPairs: [], masking: null });
    expect(read.sequences.map((sequence) => sequence.column)).toEqual(
      snapshot.sequences.map((sequence) => sequence.column),
    );
    expect(read.volumes).toHaveLength(2);
    expect(snapshot.baselineOnly).toBeUndefined();
  });

  it("masking coverage: one warning when the target names no rules file", async () => {
    const baseline = await createTestDatabase(major, CUSTOMERS_SQL);
    const target = await createTestDatabase(major, CUSTOMERS_SQL);
    const findings = only(await audit({ url: baseline.url }, { url: target.url }), "data/masking-coverage");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "warning", location: { objectType: "database" } });
    expect(findings[0]?.actual).toEqual(
      expect.arrayContaining([
        "public.customers.email",
        "public.customers.api_token",
        "public.orders.customer_email",
      ]),
    );
  });

  it("sequence divergence: warns with both ranges when the target will reuse the baseline's live ids", async () => {
    const baseline = await createTestDatabase(
      major,
      `${CUSTOMERS_SQL}
       insert into customers (email) select 'c' || i || '@x.example' from generate_series(1, 2000) i;
       insert into orders (total) select i from generate_series(1, 50) i;`,
    );
    const target = await createTestDatabase(
      major,
      `${CUSTOMERS_SQL}
       insert into customers (email) select 'c' || i || '@x.example' from generate_series(1, 1500) i;
       insert into orders (total) select i from generate_series(1, 50) i;
       select setval('orders_id_seq', 1000000);`,
    );
    const findings = only(
      await audit({ url: baseline.url }, { url: target.url }),
      "data/sequence-divergence",
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: "warning",
      location: { environment: "staging", objectType: "sequence", object: "public.customers_id_seq" },
      expected: { range: "1..2000" },
      actual: { next: "1501", range: "1..1500" },
    });
    expect(findings[0]?.message).toContain("inside production's live ids 1..2000");

    // Restarted past the baseline: no overlap.
    await query(target.url, "alter table customers alter column id restart with 1000000");
    expect(only(await audit({ url: baseline.url }, { url: target.url }), "data/sequence-divergence")).toEqual(
      [],
    );
  });

  it("sequence divergence: reads thousands of sequences, in lock-bounded batches", async () => {
    // Many batches; the last table's sequence is in the last one and must be read too.
    const tables = 400;
    expect(Math.ceil(tables / LOCK_BUDGET)).toBeGreaterThan(10);
    const schema = `do $$ begin
        for i in 1..${tables} loop execute format('create table t%s (id serial primary key)', i); end loop;
      end $$;
      insert into t${tables} select from generate_series(1, 300);`;
    const baseline = await createTestDatabase(major, schema);
    const target = await createTestDatabase(major, `${schema} select setval('t${tables}_id_seq', 50);`);
    // A tenth of the default stack makes the one-statement failure show at this size too.
    for (const database of [baseline, target]) {
      await query(database.url, `alter database "${database.name}" set max_stack_depth = '200kB'`);
    }
    const findings = only(
      await audit({ url: baseline.url }, { url: target.url }),
      "data/sequence-divergence",
    );
    expect(findings.map((finding) => finding.location.object)).toEqual([`public.t${tables}_id_seq`]);
    expect(findings[0]).toMatchObject({ expected: { range: "1..300" }, actual: { next: "51" } });
    // Creating 2,200 tables dominates; on the shared 2-core machine under load it ran 50–73 s.
  }, 180_000);

  it("data volume: warns when the target has far fewer rows, honouring minRowRatio and unanalyzed tables", async () => {
    const fill = (n: number) => `
      create table events (id bigint primary key, payload text);
      create table audit_log (id bigint primary key);
      create table lookups (id int primary key);
      insert into events select i, 'x' from generate_series(1, ${n}) i;
      insert into lookups select i from generate_series(1, 10) i;`;
    const baseline = await createTestDatabase(
      major,
      `${fill(5000)} insert into audit_log select i from generate_series(1, 3000) i; analyze;`,
    );
    // The target's audit_log was never analyzed and is empty: no pages, so 0 rows, not "unknown".
    const target = await createTestDatabase(major, `${fill(400)} analyze events; analyze lookups;`);
    const findings = only(await audit({ url: baseline.url }, { url: target.url }), "data/volume");
    expect(findings.map((finding) => [finding.location.object, finding.expected, finding.actual])).toEqual([
      ["public.audit_log", 3000, 0],
      ["public.events", 5000, 400],
    ]);
    expect(findings[1]?.message).toContain(
      "~400 rows in staging against ~5000 in production (below the 0.1 ratio",
    );

    // 400 of 5000 passes at ratio 0.05; lookups (10 rows) is too small to compare either way.
    const lenient = only(
      await audit({ url: baseline.url }, { url: target.url, minRowRatio: 0.05 }),
      "data/volume",
    );
    expect(lenient.map((finding) => finding.location.object)).toEqual(["public.audit_log"]);
    // 0 switches the rule off.
    expect(
      only(await audit({ url: baseline.url }, { url: target.url, minRowRatio: 0 }), "data/volume"),
    ).toEqual([]);
  });

  it("leaves out excluded schemas", async () => {
    const target = await createTestDatabase(
      major,
      `${CUSTOMERS_SQL} create schema archive; create table archive.old_customers (email text);`,
    );
    const snapshot = await readOne({ url: target.url, excludeSchemas: ["arch*"] }, configDir);
    expect(snapshot.columns.some((column) => column.schema === "archive")).toBe(false);
    expect(snapshot.columns.some((column) => column.column === "email")).toBe(true);
  });
});

describe("dataCheck as a role that is not a superuser", () => {
  it("reads only the sequence positions and live ids its privileges allow", async () => {
    const sql = `${CUSTOMERS_SQL}
      insert into customers (email) values ('a@example.com'), ('b@example.com');
      insert into orders (customer_email) values ('a@example.com');
      do $$ begin create role parity_data_reader login; exception when duplicate_object then null; end $$;
      grant select on customers to parity_data_reader;
      grant select (total) on orders to parity_data_reader;
      grant usage on sequence orders_id_seq to parity_data_reader;`;
    const baseline = await createTestDatabase(15, sql);
    const target = await createTestDatabase(15, sql);
    const reader = new URL(target.url);
    reader.username = "parity_data_reader";
    reader.password = "";
    const { target: snapshot } = await readPair({ url: baseline.url }, { url: reader.toString() });
    // customers' identity sequence: no privilege on it; orders_id_seq: USAGE gives its position,
    // but orders.id is not readable, so its live ids are not read.
    expect(
      snapshot.sequences.map(({ column, nextValue, liveMin }) => ({ column, nextValue, liveMin })),
    ).toEqual([
      { column: "public.customers.id", nextValue: null, liveMin: null },
      { column: "public.orders.id", nextValue: "2", liveMin: null },
    ]);
  });
});

describe("dataCheck input errors", () => {
  it("reports a broken rules file as bad input naming the file", async () => {
    const target = await createTestDatabase(15, CUSTOMERS_SQL);
    const read = dataCheck.read(
      { url: target.url, maskingRules: "broken.yaml" },
      { environment: "staging", configDir },
    );
    await expect(read).rejects.toBeInstanceOf(ParityInputError);
    await expect(read).rejects.toThrow(`${join(configDir, "broken.yaml")}: tables.customers.email`);
  });

  it("rejects a minRowRatio outside [0, 1]", async () => {
    await expect(
      dataCheck.read(
        { url: "postgres://127.0.0.1:1/x", minRowRatio: 2 },
        { environment: "staging", configDir },
      ),
    ).rejects.toThrow(/minRowRatio must be a number between 0 and 1, got 2/);
  });

  it("reports an unreachable database as an environment read error", async () => {
    await expect(
      dataCheck.read({ url: "postgres://postgres@127.0.0.1:1/x" }, { environment: "staging", configDir }),
    ).rejects.toBeInstanceOf(EnvironmentReadError);
  });

  it("exports rule metadata for every rule", () => {
    expect(dataCheck.rules?.map((rule) => [rule.id, rule.defaultSeverity])).toEqual([
      ["data/clone-leftover", "error"],
      ["data/masking-coverage", "error"],
      ["data/sequence-divergence", "error"],
      ["data/volume", "warning"],
    ]);
  });
});

describe("row estimates", () => {
  it.each([
    [{ reltuples: 1234, relpages: 10, analyzed: true, n_live_tup: "9", bytes: "81920" }, 1234, "reltuples"],
    [{ reltuples: 0, relpages: 0, analyzed: true, n_live_tup: "0", bytes: "0" }, 0, "reltuples"],
    [{ reltuples: -1, relpages: 0, analyzed: false, n_live_tup: "0", bytes: "0" }, 0, "relation size"],
    [{ reltuples: -1, relpages: 0, analyzed: false, n_live_tup: "700", bytes: "40960" }, 700, "n_live_tup"],
    [{ reltuples: 0, relpages: 0, analyzed: false, n_live_tup: null, bytes: "40960" }, null, "unknown"],
  ])("%o → %s rows from %s", (row, rows, source) => {
    expect(estimate(row)).toEqual({ rows, source });
  });
});
