// The plan's round trip over the schema case table (test/schema/drift-case-table.ts): for every
// case and direction, a and b are loaded, the plan b → a is applied to a in one transaction, and
// a is audited against b again. Every case must come back with no drift, or be refused by name;
// a plan that fails to apply or leaves drift fails the test. PostgreSQL 15 → 15, and 15 → 13:
// the plan is computed from a 15 model and run on a 13 server.
import { afterAll, describe, expect, it } from "vitest";
import { cases } from "../schema/drift-case-table.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";
import { roundTrip } from "../support/round-trip.ts";

const created: TestDatabase[] = [];
afterAll(() => Promise.all(created.map((database) => database.drop())));

async function load(major: EmbeddedMajor, sql: string): Promise<string> {
  const database = await createTestDatabase(major, sql, { autoDrop: false, prefix: "plan" });
  created.push(database);
  return database.url;
}

describe.concurrent.each(cases)("$kind", (driftCase) => {
  const object = `${driftCase.base}\n${driftCase.object}`;
  const directions: [string, string, string, EmbeddedMajor][] = [
    ["creates what a lacks", driftCase.base, object, 15],
    ["drops what a has extra", object, driftCase.base, 15],
    ["changes what differs", object, `${driftCase.base}\n${driftCase.changed}`, 15],
    [
      "changes what differs, on a PostgreSQL 13 target",
      object,
      `${driftCase.base}\n${driftCase.changed}`,
      13,
    ],
  ];
  it.each(directions)("%s", async (_name, a, b, majorA) => {
    const [urlA, urlB] = await Promise.all([load(majorA, a), load(15, b)]);
    const result = await roundTrip(urlA, urlB);
    const failure = {
      outcome: result.outcome,
      error: result.error,
      refusals: result.refusals,
      findings: result.findings.map((finding) => `${finding.ruleId} ${finding.message}`),
      statements: result.statements,
    };
    expect(failure.outcome, JSON.stringify(failure, null, 2)).toBe("pass");
  });
});
