// False drift the differ must not report, and real cross-major differences it must report as
// what they are, each against its twin: identical schemas built in another order, the same DDL
// on the oldest and the newest tested major.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import {
  compareSnapshots,
  databaseCheck,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, serverUrl, type TestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";

const oldest = testedMajors()[0] as EmbeddedMajor;
const newest = testedMajors().at(-1) as EmbeddedMajor;

async function compare(a: { major: EmbeddedMajor; sql: string }, b: { major: EmbeddedMajor; sql: string }) {
  const [x, y] = await Promise.all([createTestDatabase(a.major, a.sql), createTestDatabase(b.major, b.sql)]);
  const [baseline, target] = await Promise.all([introspectDatabase(x.url), introspectDatabase(y.url)]);
  return compareSnapshots(baseline, target).filter((finding) => !finding.ruleId.startsWith("engine/"));
}

const summary = (findings: Finding[]) =>
  findings.map((f) => `${f.ruleId} ${f.location.objectType} ${f.location.object}`).sort();

// Referenced partitions created after the key are cloned for in creation order (…_fkey,
// …_fkey1, …); created before it, in bound order, so the order only shows this way round.
const schema = (order: readonly string[], onDelete = "") => `
create table accounts (region text not null, id int not null, primary key (region, id)) partition by list (region);
create table ledger (region text not null, account int not null, at date not null,
  constraint ledger_account_fkey foreign key (region, account) references accounts ${onDelete})
  partition by range (at);
create table ledger_2024 partition of ledger for values from ('2024-01-01') to ('2025-01-01');
${order.map((region) => `create table accounts_${region} partition of accounts for values in ('${region}');`).join("\n")}`;

describe("a partitioned table's foreign key to a partitioned table", () => {
  it("is the same whatever order the referenced partitions were created in", async () => {
    const findings = await compare(
      { major: newest, sql: schema(["eu", "us", "apac"]) },
      { major: newest, sql: schema(["apac", "us", "eu"]) },
    );
    expect(summary(findings)).toEqual([]);
  });

  it("still differs, once, when the key itself differs", async () => {
    const findings = await compare(
      { major: newest, sql: schema(["eu", "us"]) },
      { major: newest, sql: schema(["us", "eu"], "on delete cascade") },
    );
    expect(summary(findings)).toEqual(["schema/changed constraint public.ledger.ledger_account_fkey"]);
  });
});

describe(`the same DDL on PostgreSQL ${oldest} and ${newest}`, () => {
  it.runIf(oldest < 14 && newest >= 14)(
    "reports EXTRACT in a check as changed, with the reason: numeric from 14, double precision before",
    async () => {
      const sql = "create table t (d date, check (extract(year from d) > 2000));";
      const findings = await compare({ major: oldest, sql }, { major: newest, sql });
      expect(summary(findings)).toEqual(["schema/changed constraint public.t.t_d_check"]);
      expect(findings[0]?.diff).toMatch(/^# EXTRACT returns numeric from PostgreSQL 14/);
    },
  );

  it("reports nothing for the twin without EXTRACT", async () => {
    const sql = "create table t (d date, check (date_part('year', d) > 2000));";
    expect(await compare({ major: oldest, sql }, { major: newest, sql })).toEqual([]);
  });
});

// 13 prints OVERLAPS as the function call with every argument's cast shown, the parser's and the
// user's alike; 14+ prints the special form without the parser's (audit/schema/overlaps.ts).
describe("OVERLAPS between PostgreSQL 13 and later majors", () => {
  const later = testedMajors().filter((major) => major >= 14);
  const table = (check: string) =>
    `create table t (a timestamptz, d date, b timestamp, t time, constraint t_check check (${check}));`;
  const cases = <T extends readonly string[]>(list: readonly T[]) =>
    later.flatMap((major) => list.map((item): [EmbeddedMajor, ...T] => [major, ...item]));

  it.runIf(oldest === 13).each(
    cases([
      ["the parser's casts on some arguments", "(d, d + 1) overlaps (a, a)"],
      ["the parser's casts on every argument", "(d, d) overlaps (d, d + 7)"],
      ["a user's cast among the parser's", "(b::timestamptz, b) overlaps (b, b)"],
      ["interval arguments", "(d, interval '1 day') overlaps (b, interval '2 days')"],
      ["time arguments", "(t, t) overlaps ('10:00', interval '1 hour')"],
      ["the function called by name", "overlaps(a, a, d, d)"],
      ["two calls cast differently", "(d, d) overlaps (a, a) and not (b, b) overlaps (b, b)"],
    ]),
  )("finds nothing between 13 and %i for %s", async (major, _what, check) => {
    const sql = table(check);
    expect(await compare({ major: 13, sql }, { major, sql })).toEqual([]);
  });

  it.runIf(oldest === 13).each(
    cases([
      [
        "a user's cast that picks another overload",
        "(b::timestamptz, b) overlaps (b, b)",
        "(b, b) overlaps (b, b)",
      ],
      ["the same the other way round", "(b, b) overlaps (b, b)", "(b::timestamptz, b) overlaps (b, b)"],
      [
        "a user's cast the parser would have added",
        "(d::timestamptz, d) overlaps (a, a)",
        "(d, d) overlaps (a, a)",
      ],
      ["other arguments", "(d, d) overlaps (a, a)", "(d, a) overlaps (a, a)"],
      ["arguments in another order", "(d, d + 1) overlaps (a, a)", "(d + 1, d) overlaps (a, a)"],
    ]),
  )("reports a change between 13 and %i for %s", async (major, _what, before, after) => {
    const findings = await compare({ major: 13, sql: table(before) }, { major, sql: table(after) });
    expect(summary(findings)).toEqual(["schema/changed constraint public.t.t_check"]);
  });
});

describe("foreign servers and user mappings", () => {
  it("never read a password or other secret option, whatever its case", async () => {
    const database = await createTestDatabase(
      newest,
      `create extension postgres_fdw;
       create server remote foreign data wrapper postgres_fdw options (host 'db.internal', sslkey '/k');
       create user mapping for postgres server remote options (user 'app', password 'hunter2');
       create user mapping for public server remote options (user 'ro', password_required 'false');`,
    );
    const snapshot = await introspectDatabase(database.url);
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("/k");
    expect(snapshot.objects["user-mapping:postgres@remote"]?.props.options).toEqual(["user=app"]);
    expect(snapshot.objects["user-mapping:public@remote"]?.props.options).toEqual([
      "password_required=false",
      "user=ro",
    ]);
  });
});

// Production and staging name their roles differently on purpose; the config's roles.map says
// which is which, and only then do owners, grants, policies and default privileges match.
const owned = (env: string) => `
do $$ begin
  create role shop_${env}_owner; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin
  create role shop_${env}_reader; exception when duplicate_object or unique_violation then null; end $$;
create schema shop authorization shop_${env}_owner;
create table shop.orders (id int primary key, region text);
alter table shop.orders owner to shop_${env}_owner;
grant select on shop.orders to shop_${env}_reader;
grant update (region) on shop.orders to shop_${env}_reader;
create policy readers on shop.orders for select to shop_${env}_reader using (region = 'eu');
create function shop.total() returns int language sql as 'select 1';
alter function shop.total() owner to shop_${env}_owner;
alter default privileges for role shop_${env}_owner in schema shop grant select on tables to shop_${env}_reader;`;

describe("owners and role names through the config's role map", () => {
  const map = { shop_prod_owner: "shop_staging_owner", shop_prod_reader: "shop_staging_reader" };
  const read = async () => {
    const [prod, staging] = await Promise.all([
      createTestDatabase(newest, owned("prod")),
      createTestDatabase(newest, owned("staging")),
    ]);
    return Promise.all([introspectDatabase(prod.url), introspectDatabase(staging.url)]);
  };
  const schemaOnly = (findings: Finding[]) => findings.filter((f) => !f.ruleId.startsWith("engine/"));

  it("reports owners, grants, policy roles and default privileges that differ without a map", async () => {
    const [prod, staging] = await read();
    expect(summary(schemaOnly(compareSnapshots(prod, staging)))).toEqual([
      "schema/changed function shop.total()",
      "schema/changed policy shop.orders.readers",
      "schema/changed schema shop",
      "schema/changed table shop.orders",
      "schema/extra default-privilege shop_staging_owner on tables in shop",
      "schema/extra privilege shop.orders",
      "schema/extra privilege shop.orders.region",
      "schema/missing default-privilege shop_prod_owner on tables in shop",
      "schema/missing privilege shop.orders",
      "schema/missing privilege shop.orders.region",
    ]);
    const table = compareSnapshots(prod, staging).find((f) => f.location.object === "shop.orders");
    expect(table?.expected).toEqual({ owner: "shop_prod_owner" });
  });

  it("reports nothing once the target maps production's roles to its own", async () => {
    const [prod, staging] = await read();
    expect(schemaOnly(compareSnapshots(prod, { ...staging, roleMap: map }))).toEqual([]);
  });

  it("still reports an owner that is not the mapped one, as the name the target should have", async () => {
    const [prod, staging] = await read();
    const findings = schemaOnly(
      compareSnapshots(prod, { ...staging, roleMap: { ...map, shop_prod_owner: "shop_other_owner" } }),
    );
    const table = findings.find((f) => f.location.object === "shop.orders");
    expect(table?.expected).toEqual({ owner: "shop_other_owner" });
    expect(table?.actual).toEqual({ owner: "shop_staging_owner" });
  });

  it("takes the map from the environment's database.roles when the check reads it", async () => {
    const database = await createTestDatabase(newest, owned("staging"));
    const snapshot = await databaseCheck.read(
      { url: database.url, roles: { map } },
      { environment: "staging", configDir: "." },
    );
    expect(snapshot.roleMap).toEqual(map);
  });
});

describe("tablespaces", () => {
  it("reports a table in another tablespace, and nothing for its twin", async () => {
    const name = `parity_ts_${randomBytes(4).toString("hex")}`;
    // In place (under pg_tblspc): the server runs as another OS user, which owns no test directory.
    await withClient(serverUrl(newest), async (client) => {
      await client.query("set allow_in_place_tablespaces = on");
      await client.query(`create tablespace ${name} location ''`);
    });
    const databases: TestDatabase[] = [];
    try {
      const load = async (sql: string) => {
        const database = await createTestDatabase(newest, sql, { autoDrop: false });
        databases.push(database);
        return introspectDatabase(database.url);
      };
      const [plain, moved, movedAgain] = await Promise.all([
        load("create table t (id int);"),
        load(`create table t (id int) tablespace ${name};`),
        load(`create table t (id int) tablespace ${name};`),
      ]);
      const findings = compareSnapshots(plain, moved).filter((f) => !f.ruleId.startsWith("engine/"));
      expect(summary(findings)).toEqual(["schema/changed table public.t"]);
      expect(findings[0]?.actual).toEqual({ tablespace: name });
      expect(compareSnapshots(moved, movedAgain)).toEqual([]);
    } finally {
      for (const database of databases) await database.drop();
      await withClient(serverUrl(newest), (client) => client.query(`drop tablespace ${name}`));
    }
  });
});
