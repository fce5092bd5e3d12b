// The paired read (paired-read/) must report exactly what reading both databases in full
// reports. Here its fingerprints, which only apply to clones: every pair is made from one database
// cloned with CREATE DATABASE … TEMPLATE (OIDs kept, as in a snapshot restore), then changed.
// paired-read-by-name.test.ts has the digests, for databases built separately; the drift-case sweep
// over clones is paired-read-sweep.ts (one test file per major, so the two workers share it).
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import {
  beginRead,
  compareSnapshots,
  completeTogether,
  type DatabaseSnapshot,
  databaseCheck,
} from "../../audit/drift/checks/database/index.ts";
import type { Fingerprints, OpenRead } from "../../audit/schema/introspect.ts";
import { pairable, planRead } from "../../audit/schema/paired-read/plan.ts";
import { looksCloned, seedsOf } from "../../audit/schema/paired-read/seeds.ts";
import { createTestDatabase, query, serverUrl, testedMajors } from "../support/databases.ts";
import { AFTER_CLONE, expectSameAsFullRead, fullFindings, openReads, SHARED } from "./paired-read-cases.ts";
import { cloneOf, dropClonesAfterAll } from "./paired-read-sweep.ts";

dropClonesAfterAll();

// 15 always; every other tested major too (13 hashes rows as text, 18 has its own catalogs).
const majors = [...new Set([15 as const, ...testedMajors()])];

describe("paired read of clones changed after the clone", () => {
  it.each(majors)("is taken on PostgreSQL %i, reading in full only what differs", async (major) => {
    const origin = await createTestDatabase(major, SHARED, { prefix: "origin" });
    const [a, b] = await Promise.all([
      cloneOf(origin, ""),
      cloneOf(origin, "comment on column app.untouched.note is 'changed';"),
    ]);
    const reads = await openReads(a.url, b.url);
    try {
      expect(pairable(reads[0], [reads[1]])).toBe(true);
      const plan = await planRead(reads);
      const relations = await query<{ oid: number; name: string }>(
        a.url,
        "select c.oid::int as oid, n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace",
      );
      const names = (oids: readonly number[]) =>
        oids.map((oid) => relations.find((row) => row.oid === oid)?.name).sort();
      expect(names(plan?.full ?? [])).toEqual(["app.untouched"]);
    } finally {
      await Promise.all(reads.map((read) => read.close()));
    }
    await expectSameAsFullRead(a.url, b.url);
  });

  it.each(AFTER_CLONE)("$change", async ({ sql }) => {
    const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
    const [baseline, target] = await Promise.all([cloneOf(origin, ""), cloneOf(origin, sql)]);
    const findings = await expectSameAsFullRead(baseline.url, target.url);
    expect(findings.length).toBeGreaterThan(0);
    // And the other way round.
    await expectSameAsFullRead(target.url, baseline.url);
  });

  it("reads only what differs: identical clones seed nothing", async () => {
    const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
    const [a, b] = await Promise.all([cloneOf(origin, ""), cloneOf(origin, "")]);
    const reads = await openReads(a.url, b.url, ["a", "b"]);
    try {
      expect(looksCloned(reads[0], reads[1])).toBe(true);
      const [baselinePrints, targetPrints] = (await Promise.all(reads.map((read) => read.fingerprint()))) as [
        Fingerprints,
        Fingerprints,
      ];
      expect(seedsOf(baselinePrints, [targetPrints])).toEqual({ renamed: [], changed: [] });
    } finally {
      await Promise.all(reads.map((read) => read.close()));
    }
  });

  it("reads databases that are not clones by name, without fingerprints, and still agrees", async () => {
    const [a, b] = await Promise.all([
      createTestDatabase(15, SHARED),
      createTestDatabase(15, `${SHARED} alter table app.orders add column note text;`),
    ]);
    const reads = await openReads(a.url, b.url, ["a", "b"]);
    const fingerprinted = reads.map((read) => vi.spyOn(read, "fingerprint"));
    const digested = reads.map((read) => vi.spyOn(read, "digests"));
    expect(looksCloned(reads[0], reads[1])).toBe(false);
    await completeTogether(reads[0], [reads[1]], undefined, { nameMinRelations: 0 });
    for (const spy of fingerprinted) expect(spy).not.toHaveBeenCalled();
    for (const spy of digested) expect(spy).toHaveBeenCalledOnce();
    const findings = await expectSameAsFullRead(a.url, b.url);
    expect(findings.map((finding) => finding.location.object)).toContain("app.orders.note");
  });

  it("reads clones in full when most of their relations differ", async () => {
    const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
    const tables = ["customers", "orders", "untouched", "lines"];
    const views = ["active_customers", "big_orders", "line_skus"];
    const mostRelations = [
      ...tables.map((table) => `comment on table app.${table} is 'changed';`),
      ...views.map((view) => `comment on view app.${view} is 'changed';`),
    ].join("\n");
    const [baseline, target] = await Promise.all([cloneOf(origin, ""), cloneOf(origin, mostRelations)]);
    const reads = await openReads(baseline.url, target.url);
    const closures = reads.map((read) => vi.spyOn(read, "closure"));
    const snapshots = await completeTogether(reads[0], [reads[1]]);
    // Fingerprints, and then not followed: the full read is cheaper than the closure.
    for (const spy of closures) expect(spy).not.toHaveBeenCalled();
    const findings = compareSnapshots(
      snapshots.get("baseline") as DatabaseSnapshot,
      snapshots.get("target") as DatabaseSnapshot,
    );
    expect(findings).toEqual(await fullFindings(baseline.url, target.url));
    expect(findings.length).toBeGreaterThanOrEqual(tables.length + views.length);
  });

  it.each([
    { when: "while its global catalogs are still being read", before: async (_read: OpenRead) => {} },
    {
      // Its global catalogs are in: the later steps each meet a closed connection.
      when: "after its fingerprints were read",
      before: async (read: OpenRead) => void (await read.fingerprint()),
    },
  ])(
    "a database whose session ends $when is reported with its own error; the others are read in full",
    async ({ before }) => {
      const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
      const [a, b] = await Promise.all([cloneOf(origin, ""), cloneOf(origin, "drop view app.big_orders;")]);
      const reads = await openReads(a.url, b.url, ["a", "b"]);
      await before(reads[0]);
      await withClient(serverUrl(15), (client) =>
        client.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'parity'",
          [a.name],
        ),
      );
      const results = await completeTogether(reads[0], [reads[1]]);
      const failure = results.get("a");
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/^a: .*terminating connection due to administrator command/);
      const snapshot = results.get("b") as DatabaseSnapshot;
      expect(snapshot).not.toBeInstanceOf(Error);
      // Read in full: the untouched table is there although nothing about it differs.
      expect(Object.keys(snapshot.objects)).toContain("table:app.untouched");
    },
  );

  it("a step that fails is reported as itself by the steps after it, not as a closed connection", async () => {
    const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
    const [a, b] = await Promise.all([cloneOf(origin, ""), cloneOf(origin, "drop view app.big_orders;")]);
    // The fingerprint query reads pg_policy; the steps before it do not.
    const locker = new pg.Client({ connectionString: a.url });
    await locker.connect();
    try {
      await locker.query("begin; lock table pg_catalog.pg_policy in access exclusive mode");
      const reads = await Promise.all([
        beginRead(a.url, { environment: "a", statementTimeoutMs: 300 }, { fingerprints: true }),
        beginRead(b.url, { environment: "b" }, { fingerprints: true }),
      ]);
      const results = await completeTogether(reads[0], [reads[1]]);
      expect((results.get("a") as Error).message).toMatch(
        /^a: .*canceling statement due to statement timeout/,
      );
      expect(results.get("b")).not.toBeInstanceOf(Error);
    } finally {
      await locker.end();
    }
  });

  it("a cancelled paired read drops every connection and reports each database as not read", async () => {
    const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
    const [a, b] = await Promise.all([cloneOf(origin, ""), cloneOf(origin, "drop view app.big_orders;")]);
    const reads = await openReads(a.url, b.url, ["a", "b"]);
    const controller = new AbortController();
    controller.abort();
    const results = await completeTogether(reads[0], [reads[1]], controller.signal);
    expect([...results.keys()].sort()).toEqual(["a", "b"]);
    for (const result of results.values()) expect(result).toBeInstanceOf(Error);
    // Nothing is left open on the server (the backends go away right after the sockets close).
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

  it("with a role map, a clone is read in full: owners the same as stored are still owner drift once mapped", async () => {
    const origin = await createTestDatabase(15, SHARED, { prefix: "origin" });
    const clone = await cloneOf(origin, "");
    const owner =
      (await query<{ owner: string }>(origin.url, "select current_user as owner"))[0]?.owner ?? "";
    const specs = new Map([
      ["production", { url: origin.url }],
      ["staging", { url: clone.url, roles: { map: { [owner]: "staging_owner" } } }],
    ]);
    const together =
      (await databaseCheck.readTogether?.(specs, { baseline: "production", configDir: "." })) ?? new Map();
    const findings = compareSnapshots(
      together.get("production") as DatabaseSnapshot,
      together.get("staging") as DatabaseSnapshot,
    );
    // The same as reading each alone in full and mapping.
    const alone = await Promise.all(
      [...specs].map(([environment, spec]) => databaseCheck.read(spec, { environment, configDir: "." })),
    );
    expect(findings).toEqual(compareSnapshots(alone[0] as DatabaseSnapshot, alone[1] as DatabaseSnapshot));
    const ownerDrift = findings.filter(
      (finding) => finding.ruleId === "schema/changed" && JSON.stringify(finding).includes("staging_owner"),
    );
    // Every table, view and sequence of the clone is owned by the production name.
    expect(ownerDrift.length).toBeGreaterThan(2);
  });
});
