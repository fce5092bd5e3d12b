// data/sequence-divergence on real servers: the seed story (production's users_id_seq at 10000,
// staging issued 10001..10050 after the clone), a fresh clone, id blocks, and the new read
// against the old one on a database that has every kind of sequence state.
import { randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import type { DatabaseSpec } from "../../audit/core/check.ts";
import type { Finding } from "../../audit/core/finding.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { dataCheck } from "../../audit/drift/checks/data/index.ts";
import type { DataSnapshot } from "../../audit/drift/checks/data/types.ts";
import {
  createTestDatabase,
  databaseUrl,
  query,
  serverUrl,
  type TestDatabase,
} from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";
import { readLegacyDataSnapshot } from "../support/legacy-data-read.ts";

const environments = { baseline: "production", target: "staging" };
const context = (environment: string) => ({ environment, configDir: "/nonexistent" });

async function newRead(baseline: DatabaseSpec, target: DatabaseSpec): Promise<Finding[]> {
  const specs = new Map([
    ["production", baseline],
    ["staging", target],
  ]);
  const finished = await dataCheck.readTogether?.(specs, {
    baseline: "production",
    configDir: "/nonexistent",
  });
  const [base, mine] = [finished?.get("production"), finished?.get("staging")];
  if (!base || base instanceof Error || !mine || mine instanceof Error) throw new Error("read failed");
  return dataCheck.compare(base, mine, environments);
}

async function oldRead(baseline: DatabaseSpec, target: DatabaseSpec): Promise<Finding[]> {
  const base: DataSnapshot = await readLegacyDataSnapshot(baseline, context("production"));
  const mine: DataSnapshot = await readLegacyDataSnapshot(target, context("staging"));
  return dataCheck.compare(base, mine, environments);
}

const sequenceFindings = (findings: Finding[]) =>
  findings.filter((finding) => finding.ruleId === "data/sequence-divergence");

/** A file-level copy of `source`, as staging is made from production. */
async function cloneOf(source: TestDatabase): Promise<TestDatabase> {
  const name = `clone_${randomBytes(6).toString("hex")}`;
  const server = serverUrl(source.major);
  await query(server, `create database ${quoteIdent(name)} template ${quoteIdent(source.name)}`);
  const drop = () =>
    query(server, `drop database if exists ${quoteIdent(name)} with (force)`).then(() => undefined);
  onTestFinished(drop);
  return { name, url: databaseUrl(source.major, name), major: source.major as EmbeddedMajor, drop };
}

const USERS = `
  create table users (id bigserial primary key, email text not null);
  insert into users (email) select 'user' || i || '@example.com' from generate_series(1, 10000) i;
  analyze users;`;

describe.each([13, 15] as const)("data/sequence-divergence on PostgreSQL %i", (major) => {
  it("errors once staging has issued ids past production's position, naming both ranges and the table", async () => {
    const production = await createTestDatabase(major, USERS);
    const staging = await cloneOf(production);
    // A fresh clone: the same position on both sides, nothing to report.
    expect(sequenceFindings(await newRead({ url: production.url }, { url: staging.url }))).toEqual([]);

    await query(
      staging.url,
      "insert into users (email) select 'tester' || i || '@staging.example' from generate_series(1, 50) i",
    );
    const findings = sequenceFindings(await newRead({ url: production.url }, { url: staging.url }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: "error",
      location: { environment: "staging", objectType: "sequence", object: "public.users_id_seq" },
      expected: { range: "1..10000", next: "10001" },
      actual: { issued: "10001..10050", next: "10051", range: "1..10050" },
    });
    expect(findings[0]?.message).toContain("staging has issued ids 10001..10050 of table public.users");
    expect(findings[0]?.message).toContain("production's sequence public.users_id_seq (ids in use 1..10000");
  });

  it("is quiet for ids issued past production's position only in a declared id block of staging's own", async () => {
    const production = await createTestDatabase(
      major,
      `${USERS} alter sequence users_id_seq maxvalue 999999999;`,
    );
    const staging = await cloneOf(production);
    await query(
      staging.url,
      `alter sequence users_id_seq minvalue 1000000000 maxvalue 1999999999 start with 1000000000 restart;
       insert into users (email) select 'tester' || i || '@staging.example' from generate_series(1, 50) i`,
    );
    expect(sequenceFindings(await newRead({ url: production.url }, { url: staging.url }))).toEqual([]);

    // Restarting alone only delays the collision: production reaches 1000000000 some day.
    await query(production.url, "alter sequence users_id_seq maxvalue 9223372036854775807");
    const findings = sequenceFindings(await newRead({ url: production.url }, { url: staging.url }));
    expect(findings.map((finding) => [finding.severity, finding.actual])).toEqual([
      ["error", { issued: "10001..1000000049", next: "1000000050", range: "1..1000000049" }],
    ]);
  });

  it("gives the same findings as the old read over every kind of sequence state", async () => {
    const schema = `
      create table ahead (id serial primary key, v int);
      create table behind (id bigint generated by default as identity primary key, v int);
      create table same (id serial primary key, v int);
      create table empty_both (id serial primary key);
      create table emptied (id serial primary key);
      create table explicit_ids (id serial primary key);
      create table restarted (id serial primary key);
      create table unindexed (id serial, v int);
      create table descending (id int primary key);
      create sequence descending_id_seq increment by -1 minvalue -1000000 maxvalue -1 owned by descending.id;
      alter table descending alter column id set default nextval('descending_id_seq');
      insert into ahead (v) select i from generate_series(1, 30) i;
      insert into behind (v) select i from generate_series(1, 30) i;
      insert into same (v) select i from generate_series(1, 30) i;
      insert into emptied default values; delete from emptied;
      insert into explicit_ids values (1), (2), (3);
      insert into restarted select from generate_series(1, 5);
      insert into unindexed (v) select i from generate_series(1, 5) i;
      insert into descending default values; insert into descending default values;`;
    const production = await createTestDatabase(
      major,
      `${schema} insert into behind (v) values (31), (32); analyze;`,
    );
    const staging = await createTestDatabase(
      major,
      `${schema}
       insert into ahead (v) values (31), (32);
       insert into emptied default values; insert into emptied default values;
       alter sequence restarted_id_seq restart with 500;
       insert into unindexed (v) values (6);
       insert into descending default values;
       analyze;`,
    );
    const [before, after] = [
      await oldRead({ url: production.url }, { url: staging.url }),
      await newRead({ url: production.url }, { url: staging.url }),
    ];
    expect(after).toEqual(before);
    // And it is a real comparison: the planted states do produce findings.
    expect(sequenceFindings(after).map((finding) => [finding.location.object, finding.severity])).toEqual(
      expect.arrayContaining([
        ["public.ahead_id_seq", "error"],
        ["public.behind_id_seq", "warning"],
        ["public.descending_id_seq", "error"],
      ]),
    );
  });
});
