// The plan's round trip over the schema case table (test/schema/drift-case-table.ts): for every
// case and direction, a and b are loaded, the plan b → a is applied to a in one transaction, and
// a is audited against b again. Every case must come back with no drift, or be refused by name;
// a plan that fails to apply or leaves drift fails the test. PostgreSQL 15 → 15, and 15 → 13:
// the plan is computed from a 15 model and run on a 13 server (a case that needs a newer major
// runs on it alone).
import { afterAll, describe, expect, it } from "vitest";
import { NOT_PLANNED } from "../../audit/plan/kinds/not-planned.ts";
import { cases } from "../schema/drift-case-table.ts";
import { createTestDatabase, type TestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";
import { roundTrip } from "../support/round-trip.ts";

const created: TestDatabase[] = [];
// Four at a time: hundreds dropped at once would each hold a connection, one at a time took
// over two minutes on a loaded machine (each DROP DATABASE waits for a checkpoint).
afterAll(async () => {
  const queue = [...created];
  const dropper = async () => {
    for (let database = queue.shift(); database; database = queue.shift()) await database.drop();
  };
  await Promise.all([dropper(), dropper(), dropper(), dropper()]);
}, 600_000);

async function load(major: EmbeddedMajor, sql: string, subscriptions = false): Promise<string> {
  const database = await createTestDatabase(major, sql, { autoDrop: false, prefix: "plan", subscriptions });
  created.push(database);
  return database.url;
}

describe.each(cases)("$kind", (driftCase) => {
  const object = `${driftCase.base}\n${driftCase.object}`;
  // 15, or the case's oldest major when newer (18's NOT NULL constraints).
  const majorB = Math.max(15, driftCase.minMajor ?? 15) as EmbeddedMajor;
  const directions: [string, string, string, EmbeddedMajor][] = [
    ["creates what a lacks", driftCase.base, object, majorB],
    ["drops what a has extra", object, driftCase.base, majorB],
    ["changes what differs", object, `${driftCase.base}\n${driftCase.changed}`, majorB],
    [
      "changes what differs, on a PostgreSQL 13 target",
      object,
      `${driftCase.base}\n${driftCase.changed}`,
      13,
    ],
    ["creates what a lacks, on a PostgreSQL 13 target", driftCase.base, object, 13],
  ];
  // A case whose DDL needs a newer major than 13 (publications' column lists) skips the 13 targets.
  const loadable = testedMajors().includes(majorB)
    ? directions.filter(([, , , major]) => major >= (driftCase.minMajor ?? 13))
    : [];
  if (loadable.length === 0) it.skip(`needs PostgreSQL ${majorB}, which this run does not test`);
  it.each(loadable)("%s", async (_name, a, b, majorA) => {
    const subscriptions = driftCase.subscriptions ?? false;
    const [urlA, urlB] = await Promise.all([load(majorA, a, subscriptions), load(majorB, b, subscriptions)]);
    const result = await roundTrip(urlA, urlB);
    const failure = {
      outcome: result.outcome,
      error: result.error,
      refusals: result.refusals,
      findings: result.findings.map((finding) => `${finding.ruleId} ${finding.message}`),
      statements: result.statements,
    };
    // What the audit compares but the planner has no DDL for is refused by name, and only that.
    const refusable = result.refusals.every((refusal) => refusal.reason.startsWith(NOT_PLANNED));
    const expected = result.outcome === "refused" && refusable ? "refused" : "pass";
    expect(failure.outcome, JSON.stringify(failure, null, 2)).toBe(expected);
  });
});

// Names a stranger would try: quotes, capitals, spaces and dots inside identifiers, a label
// with a quote, a comment with a quote; created, dropped and changed.
const ODD = `
create schema "Sales Ops";
create type "Sales Ops"."Mood" as enum ('it''s ok', 'Fine');
create table "Sales Ops"."Order.Items" ("Line ""No""" int primary key, "x.y" text, mood "Sales Ops"."Mood");
comment on column "Sales Ops"."Order.Items"."x.y" is 'it''s a "note"';
create view "Sales Ops"."Big Lines" as select "Line ""No""", "x.y" from "Sales Ops"."Order.Items" where "Line ""No""" > 10;
create index "Odd Index" on "Sales Ops"."Order.Items" ("x.y");`;
const ODD_CHANGED = `
create schema "Sales Ops";
create type "Sales Ops"."Mood" as enum ('Fine', 'it''s ok', 'Grand');
create table "Sales Ops"."Order.Items" ("Line ""No""" bigint primary key, "x.y" varchar(20), mood "Sales Ops"."Mood");
comment on column "Sales Ops"."Order.Items"."x.y" is 'changed';
create view "Sales Ops"."Big Lines" as select "Line ""No""", "x.y" from "Sales Ops"."Order.Items" where "Line ""No""" > 20;`;

describe("odd identifiers", () => {
  it.each([
    ["created", "", ODD],
    ["dropped", ODD, ""],
    ["changed", ODD, ODD_CHANGED],
  ])("round-trips when %s", async (_name, a, b) => {
    const [urlA, urlB] = await Promise.all([load(15, a), load(15, b)]);
    const result = await roundTrip(urlA, urlB);
    expect(result.outcome, JSON.stringify(result, null, 2)).toBe("pass");
  });
});
