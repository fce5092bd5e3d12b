// Subscriptions on every tested major: each drift against its twin, never the connection
// string's password, a role that is not superuser reading them as the superuser does, and the
// same DDL on two majors (the one real difference: 18 streams in parallel by default).
// Created WITH (connect = false): no publisher is needed, and no slot is made.
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import {
  compareSnapshots,
  type DatabaseSnapshot,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, type TestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";

const majors = testedMajors();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
});

async function read(
  major: EmbeddedMajor,
  sql: string,
): Promise<{ database: TestDatabase; snapshot: DatabaseSnapshot }> {
  const database = await createTestDatabase(major, sql, {
    autoDrop: false,
    subscriptions: true,
    prefix: "sub",
  });
  databases.push(database);
  return { database, snapshot: await introspectDatabase(database.url) };
}

const summary = (findings: Finding[]) =>
  findings
    .filter((f) => !f.ruleId.startsWith("engine/"))
    .map((f) => `${f.ruleId} ${f.location.objectType} ${f.location.object}`)
    .sort();

const CONNECTION = "host=publisher.internal port=5432 dbname=app user=replicator password=hunter2";
const subscription = (publications: string, options = "") =>
  `create subscription parity_feed connection '${CONNECTION}' publication ${publications}
     with (connect = false${options});`;

/** Changes every major can load, and the options each major added (on the majors that have them). */
const changes = (major: number): { what: string; sql: string; props: string[] }[] => [
  { what: "publications", sql: subscription("orders, customers"), props: ["publications"] },
  { what: "slot name", sql: subscription("orders", ", slot_name = 'feed_slot'"), props: ["slotName"] },
  {
    what: "enabled",
    // ENABLE needs a slot; the subscription is enabled in the catalog without connecting.
    sql: `${subscription("orders")} alter subscription parity_feed enable;`,
    props: ["enabled"],
  },
  ...(major >= 14
    ? [
        {
          what: "binary, streaming, synchronous_commit",
          sql: subscription("orders", ", binary = true, streaming = on, synchronous_commit = 'remote_apply'"),
          props: ["binary", "streaming", "synchronousCommit"],
        },
      ]
    : []),
  ...(major >= 15
    ? [
        {
          what: "two_phase, disable_on_error",
          sql: subscription("orders", ", two_phase = true, disable_on_error = true"),
          props: ["twoPhase", "disableOnError"],
        },
      ]
    : []),
  ...(major >= 16
    ? [
        {
          what: "origin, run_as_owner, password_required",
          sql: subscription("orders", ", origin = none, run_as_owner = true, password_required = false"),
          props: ["origin", "runAsOwner", "passwordRequired"],
        },
      ]
    : []),
  ...(major >= 17
    ? [{ what: "failover", sql: subscription("orders", ", failover = true"), props: ["failover"] }]
    : []),
];

describe.each(majors)("subscriptions on PostgreSQL %i", (major) => {
  it("reports one missing, one extra, and nothing for a twin", async () => {
    const [none, one, again] = await Promise.all([
      read(major, ""),
      read(major, subscription("orders")),
      read(major, subscription("orders")),
    ]);
    expect(summary(compareSnapshots(one.snapshot, none.snapshot))).toEqual([
      "schema/missing subscription parity_feed",
    ]);
    expect(summary(compareSnapshots(none.snapshot, one.snapshot))).toEqual([
      "schema/extra subscription parity_feed",
    ]);
    expect(compareSnapshots(one.snapshot, again.snapshot)).toEqual([]);
    expect(one.snapshot.objects["subscription:parity_feed"]?.props).toMatchObject({
      publications: ["orders"],
      enabled: false,
      slotName: "parity_feed",
      streaming: major >= 18 ? "parallel" : "off",
    });
  });

  it.each(changes(major))("reports a change of $what, with expected and actual", async ({ sql, props }) => {
    const [before, after] = await Promise.all([read(major, subscription("orders")), read(major, sql)]);
    const findings = compareSnapshots(before.snapshot, after.snapshot);
    expect(summary(findings)).toEqual(["schema/changed subscription parity_feed"]);
    const finding = findings.find((f) => f.location.objectType === "subscription");
    expect(Object.keys(finding?.actual as object).sort()).toEqual([...props].sort());
  });

  it("never reads the connection string, and reads the same for a role that is not superuser", async () => {
    const { database, snapshot } = await read(major, subscription("orders"));
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("publisher.internal");
    const role = `parity_sub_reader_${database.name}`;
    await withClient(database.url, (client) => client.query(`create role ${role} login`));
    try {
      const url = new URL(database.url);
      url.username = role;
      const asReader = await introspectDatabase(url.toString());
      expect(asReader.objects["subscription:parity_feed"]).toEqual(
        snapshot.objects["subscription:parity_feed"],
      );
    } finally {
      await withClient(database.url, (client) => client.query(`drop role ${role}`));
    }
  });
});

const pairs = majors.flatMap((a, i) => majors.slice(i + 1).map((b) => [a, b] as const));

describe("the same subscription DDL on two majors", () => {
  it.each(pairs)(
    "%i and %i differ only where 18 streams in parallel by default, with the reason",
    async (a, b) => {
      const sql = subscription("orders");
      const [x, y] = await Promise.all([read(a, sql), read(b, sql)]);
      const findings = compareSnapshots(x.snapshot, y.snapshot).filter(
        (f) => !f.ruleId.startsWith("engine/"),
      );
      if (a < 18 && b >= 18) {
        expect(summary(findings)).toEqual(["schema/changed subscription parity_feed"]);
        expect(findings[0]?.actual).toEqual({ streaming: "parallel" });
        expect(findings[0]?.message).toMatch(/PostgreSQL 18 creates subscriptions with streaming = parallel/);
      } else {
        expect(findings).toEqual([]);
      }
    },
  );

  it.each(pairs.filter(([a]) => a >= 14))("%i and %i read alike when streaming is given", async (a, b) => {
    const sql = subscription("orders", ", streaming = off, binary = true");
    const [x, y] = await Promise.all([read(a, sql), read(b, sql)]);
    expect(summary(compareSnapshots(x.snapshot, y.snapshot))).toEqual([]);
  });
});
