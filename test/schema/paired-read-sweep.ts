// The clone suite's drift-case sweep, one file per major (paired-read-sweep-13/15/18.test.ts) so the
// two test workers share it: every drift case's object missing, extra, changed and twinned, in
// clones of one database (CREATE DATABASE … TEMPLATE keeps the OIDs, as a snapshot restore does),
// each pair read paired (fingerprints) and in full, with the same findings.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import {
  createTestDatabase,
  databaseUrl,
  dropFourAtATime,
  dropSubscriptions,
  serverUrl,
  type TestDatabase,
  testedMajors,
} from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";
import { cases } from "./drift-case-table.ts";
import { expectSameAsFullRead, type FullReads } from "./paired-read-cases.ts";

const dropLater: TestDatabase[] = [];

/** Drops the file's clones after its tests (call once per test file, at its top level). */
export function dropClonesAfterAll(): void {
  afterAll(() => dropFourAtATime(dropLater.splice(0)), 600_000);
}

/** A copy of `origin` (which must have no open connections) with `sql` applied. */
export async function cloneOf(
  origin: TestDatabase,
  sql: string,
  subscriptions = false,
): Promise<TestDatabase> {
  const name = `pair_${randomBytes(6).toString("hex")}`;
  const { major } = origin;
  await withClient(serverUrl(major), (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(origin.name)}`),
  );
  const url = databaseUrl(major, name);
  const clone: TestDatabase = {
    name,
    url,
    major,
    drop: async () => {
      // DROP DATABASE refuses a database that has subscriptions.
      if (subscriptions) await dropSubscriptions(url).catch(() => undefined);
      await withClient(serverUrl(major), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
  dropLater.push(clone);
  if (sql.trim() !== "") await withClient(url, (client) => client.query(sql));
  return clone;
}

/** The sweep on `major`, skipped when that server is not among the tested ones. */
export function sweepDriftCases(major: EmbeddedMajor): void {
  dropClonesAfterAll();
  const tested = testedMajors().includes(major) || major === 15;
  describe
    .skipIf(!tested)
    .each(
      cases.filter(
        (driftCase) => major >= Math.max(driftCase.minMajor ?? 13, driftCase.changedMinMajor ?? 13),
      ),
    )(`paired read of clones on ${major}: $kind`, (driftCase) => {
    it("reports what the full read reports for missing, extra, changed and twin", async () => {
      const origin = await createTestDatabase(major, driftCase.base, { prefix: "origin" });
      const subscriptions = driftCase.subscriptions ?? false;
      const [withObject, without, changed, twin] = await Promise.all([
        cloneOf(origin, driftCase.object, subscriptions),
        cloneOf(origin, ""),
        cloneOf(origin, driftCase.changed, subscriptions),
        cloneOf(origin, driftCase.object, subscriptions),
      ]);
      // Each database read in full once; the paired read runs for every pair.
      const fullReads: FullReads = new Map();
      const missing = await expectSameAsFullRead(withObject.url, without.url, undefined, fullReads);
      const extra = await expectSameAsFullRead(without.url, withObject.url, undefined, fullReads);
      const different = await expectSameAsFullRead(withObject.url, changed.url, undefined, fullReads);
      const same = await expectSameAsFullRead(withObject.url, twin.url, undefined, fullReads);
      // The comparisons are not vacuous: the cases are drift.
      expect(missing.length).toBeGreaterThan(0);
      expect(extra.length).toBeGreaterThan(0);
      expect(different.length + (driftCase.changedProps.length === 0 ? 1 : 0)).toBeGreaterThan(0);
      expect(same).toEqual([]);
    });
  });
}
