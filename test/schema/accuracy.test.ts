// False drift the differ must not report, and real cross-major differences it must report as
// what they are, each against its twin: identical schemas built in another order, the same DDL
// on the oldest and the newest tested major.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import { compareSnapshots, introspectDatabase } from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, testedMajors } from "../support/databases.ts";
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
