// The paired read of databases that are not clones (paired-read/digests.ts, name-plan.ts) must
// report exactly what reading both databases in full reports. Every database here is built on its
// own, as staging built by hand or a preview from migrations is: no OID is shared. Each also holds
// a few untouched tables, so that a change is a minority of relations and the digests, not the
// full-read fallback, decide what is read.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it, vi } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { completeTogether, type DatabaseSnapshot } from "../../audit/drift/checks/database/index.ts";
import type { ReadPlan } from "../../audit/schema/introspect.ts";
import { namedSeedsOf } from "../../audit/schema/paired-read/name-plan.ts";
import {
  createTestDatabase,
  dropFourAtATime,
  query,
  serverUrl,
  type TestDatabase,
  testedMajors,
} from "../support/databases.ts";
import { cases } from "./drift-case-table.ts";
import { AFTER_CLONE, expectSameAsFullRead, openReads, SHARED } from "./paired-read-cases.ts";

const PADDING = `
create schema padding;
create table padding.a (id bigserial primary key, note text default 'x' check (note <> ''));
create table padding.b (id int primary key references padding.a (id), at timestamptz default now());
create index b_at on padding.b (at) where at is not null;
create table padding.c (id int, tags text[] default '{}');
create view padding.v as select a.id, b.at from padding.a a join padding.b b using (id);
`;

const realistic = readFileSync(new URL("./fixtures/realistic.sql", import.meta.url), "utf8");
// Touches one table of the realistic schema (its first), a minority of its relations.
const CHANGE_TO_REALISTIC = `do $$ declare t regclass; begin
  select c.oid into t from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', 'padding') order by c.oid limit 1;
  execute format('comment on table %s is %L', t, 'changed');
end $$;`;

const dropLater: TestDatabase[] = [];
afterAll(() => dropFourAtATime(dropLater), 600_000);

/** A database of its own on `major`, with the padding and `sql`. */
async function built(major: Parameters<typeof createTestDatabase>[0], sql: string, subscriptions = false) {
  const database = await createTestDatabase(major, `${PADDING}\n${sql}`, {
    prefix: "named",
    autoDrop: false,
    subscriptions,
  });
  dropLater.push(database);
  return database;
}

/** Paired and full read agree; and the pair was read by name (a plan, not the full-read fallback). */
async function expectPlannedAndSame(baseline: string, target: string) {
  const plans: (ReadPlan | null)[] = [];
  const findings = await expectSameAsFullRead(baseline, target, plans);
  expect(plans).toHaveLength(2);
  for (const plan of plans) expect(plan).not.toBeNull();
  return { findings, plans: plans as ReadPlan[] };
}

/** The relations by name whose digests differ between two databases. */
async function differingRelations(a: string, b: string): Promise<string[]> {
  const reads = await openReads(a, b);
  try {
    const digests = await Promise.all(reads.map((read) => read.digests()));
    return [...namedSeedsOf(digests).relations].sort();
  } finally {
    await Promise.all(reads.map((read) => read.close()));
  }
}

const majors = [...new Set([15 as const, ...testedMajors()])];

// Every kind, on 15: the changed shape and a twin, each built on its own. (One-sided relations,
// the missing and extra shapes, are seeds by name and read in full: the changes below cover them.)
describe.each(
  cases.filter((driftCase) => (driftCase.minMajor ?? 13) <= 15 && (driftCase.changedMinMajor ?? 13) <= 15),
)("paired read by name: $kind", (driftCase) => {
  it("gives a twin the same digests, and reports what the full read reports for the changed shape, on 15", async () => {
    const subscriptions = driftCase.subscriptions ?? false;
    const [withObject, changed, twin] = await Promise.all([
      built(15, `${driftCase.base}\n${driftCase.object}`, subscriptions),
      built(15, `${driftCase.base}\n${driftCase.changed}`, subscriptions),
      built(15, `${driftCase.base}\n${driftCase.object}`, subscriptions),
    ]);
    // The same DDL run twice gives the same digests: no OID leaks into them.
    expect(await differingRelations(withObject.url, twin.url)).toEqual([]);
    const different = await expectSameAsFullRead(withObject.url, changed.url);
    expect(different.length + (driftCase.changedProps.length === 0 ? 1 : 0)).toBeGreaterThan(0);
  });
});

// On every tested major (13 hashes the same rows, 18 has its own catalog columns): the realistic
// schema of the cross-version suite, built twice, gives the same digests, and a change to it is
// read by name and reported as the full read reports it.
describe.each(majors)("paired read by name of the realistic schema on %i", (major) => {
  it("gives the same digests for the same DDL, and the full read's findings for a change", async () => {
    const [a, b, changed] = await Promise.all([
      // It creates a subscription, which a database must drop before DROP DATABASE.
      built(major, realistic, true),
      built(major, realistic, true),
      built(major, `${realistic}\n${CHANGE_TO_REALISTIC}`, true),
    ]);
    expect(await differingRelations(a.url, b.url)).toEqual([]);
    const { findings } = await expectPlannedAndSame(a.url, changed.url);
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe("paired read by name of databases changed after they were built alike", () => {
  it("reads nothing but the global objects of two databases built alike", async () => {
    const [a, b] = await Promise.all([built(15, SHARED), built(15, SHARED)]);
    const { findings, plans } = await expectPlannedAndSame(a.url, b.url);
    expect(findings).toEqual([]);
    for (const plan of plans) expect(plan).toEqual({ full: [], light: [] });
  });

  it("is not taken on schemas of fewer than 64 relations, where a full read costs less", async () => {
    const [a, b] = await Promise.all([
      built(15, SHARED),
      built(15, `${SHARED}\ncomment on table app.lines is 'x';`),
    ]);
    const reads = await openReads(a.url, b.url);
    const digested = reads.map((read) => vi.spyOn(read, "digests"));
    const results = await completeTogether(reads[0], [reads[1]]);
    for (const spy of digested) expect(spy).not.toHaveBeenCalled();
    expect(Object.keys((results.get("target") as DatabaseSnapshot).objects)).toContain("table:padding.a");
  });

  it.each(AFTER_CLONE)("$change", async ({ change, sql }) => {
    const [baseline, target] = await Promise.all([built(15, SHARED), built(15, `${SHARED}\n${sql}`)]);
    // A renamed schema renames every relation in it, most of them: read in full, as it should be.
    const findings =
      change === "the schema is renamed"
        ? await expectSameAsFullRead(baseline.url, target.url)
        : (await expectPlannedAndSame(baseline.url, target.url)).findings;
    expect(findings.length).toBeGreaterThan(0);
    await expectSameAsFullRead(target.url, baseline.url);
  });

  it("reads in full only the relation that differs, under each database's own OID", async () => {
    const [a, b] = await Promise.all([
      built(15, SHARED),
      built(15, `${SHARED}\ncomment on column app.untouched.note is 'changed';`),
    ]);
    const { plans } = await expectPlannedAndSame(a.url, b.url);
    const names = async (url: string, oids: readonly number[]) =>
      (
        await query<{ name: string }>(
          url,
          "select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = any($1::oid[]) order by 1",
          [oids],
        )
      ).map((row) => row.name);
    expect(await names(a.url, plans[0]?.full ?? [])).toEqual(["app.untouched"]);
    expect(await names(b.url, plans[1]?.full ?? [])).toEqual(["app.untouched"]);
    // Built separately: the same table has another OID in each.
    expect(plans[0]?.full).not.toEqual(plans[1]?.full);
  });

  it("reads nothing in full when only a type differs: what is built on it is read light", async () => {
    const [a, b] = await Promise.all([
      built(15, SHARED),
      built(15, `${SHARED}\nalter type app.status add value 'deleted';`),
    ]);
    expect(await differingRelations(a.url, b.url)).toEqual([]);
    const { plans } = await expectPlannedAndSame(a.url, b.url);
    // The enum differs: the tables and views with a column of it are read light, none in full.
    for (const plan of plans) {
      expect(plan.full).toEqual([]);
      expect(plan.light.length).toBeGreaterThan(0);
    }
  });

  it("a database whose session ends after its digests were read is reported with its own error; the other is read in full", async () => {
    const [a, b] = await Promise.all([built(15, SHARED), built(15, `${SHARED}\ndrop view app.big_orders;`)]);
    const reads = await openReads(a.url, b.url, ["a", "b"]);
    await reads[0].digests();
    await withClient(serverUrl(15), (client) =>
      client.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'parity'",
        [a.name],
      ),
    );
    const results = await completeTogether(reads[0], [reads[1]], undefined, { nameMinRelations: 0 });
    expect((results.get("a") as Error).message).toMatch(
      /^a: .*terminating connection due to administrator command/,
    );
    const snapshot = results.get("b") as DatabaseSnapshot;
    expect(snapshot).not.toBeInstanceOf(Error);
    expect(Object.keys(snapshot.objects)).toContain("table:padding.a");
  });
});

// The same schema on two majors. A digest differs where a major prints a row its own way, and
// that relation is then read in full and normalized as a full read normalizes it: on 13 against 15
// the rows print alike, so the pair is planned; 18 sends its NOT NULL constraints' names with every
// column, so against 18 most relations differ and the pair is read in full, still the same findings.
type Major = (typeof majors)[number];
const crossPairs: { from: Major; to: Major; planned: boolean }[] = [];
if (majors.includes(13) && majors.includes(15)) crossPairs.push({ from: 13, to: 15, planned: true });
const [oldest, newest] = [Math.min(...majors), Math.max(...majors)] as [Major, Major];
if (oldest !== newest && !(oldest === 13 && newest === 15))
  crossPairs.push({ from: oldest, to: newest, planned: newest < 18 });

describe.each(crossPairs)("paired read by name across majors ($from and $to)", ({ from, to, planned }) => {
  const check = (baseline: string, target: string) =>
    planned
      ? expectPlannedAndSame(baseline, target)
      : expectSameAsFullRead(baseline, target).then((findings) => ({ findings }));
  it.each(AFTER_CLONE.slice(0, 3))("$change", async ({ sql }) => {
    const [baseline, target] = await Promise.all([built(from, SHARED), built(to, `${SHARED}\n${sql}`)]);
    await check(baseline.url, target.url);
    await expectSameAsFullRead(target.url, baseline.url);
  });

  it("finds no difference in the shared schema itself", async () => {
    const [baseline, target] = await Promise.all([built(from, SHARED), built(to, SHARED)]);
    const { findings } = await check(baseline.url, target.url);
    expect(findings.filter((finding) => finding.ruleId.startsWith("schema/"))).toEqual([]);
  });
});
