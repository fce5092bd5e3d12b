// PostgreSQL 18 keeps NOT NULL as a constraint with its own name, NOT VALID and NO INHERIT state.
// The model names only what is not the default (the name PostgreSQL gives is every major's), so
// the same DDL reads the same on 13–17 (no names) and 18, and what 18 alone holds is reported.
import { describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import { compareSnapshots, introspectDatabase } from "../../audit/drift/checks/database/index.ts";
import { defaultNotNullName } from "../../audit/schema/kinds/columns.ts";
import { createTestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";

const majors = testedMajors();
const newest = majors.at(-1) as EmbeddedMajor;
const older = majors.filter((major) => major < 18);

async function compare(a: { major: EmbeddedMajor; sql: string }, b: { major: EmbeddedMajor; sql: string }) {
  const [x, y] = await Promise.all([createTestDatabase(a.major, a.sql), createTestDatabase(b.major, b.sql)]);
  const [baseline, target] = await Promise.all([introspectDatabase(x.url), introspectDatabase(y.url)]);
  return compareSnapshots(baseline, target).filter((finding) => !finding.ruleId.startsWith("engine/"));
}

const summary = (findings: Finding[]) =>
  findings.map(
    (f) => `${f.ruleId} ${f.location.objectType} ${f.location.object} ${JSON.stringify(f.actual)}`,
  );

const LONG_TABLE = "t".repeat(40);
const LONG_COLUMN = "c".repeat(40);
// Names PostgreSQL gives: plain, shortened to 63 bytes, numbered when taken, a partition's and an
// inheriting table's (the parent's name).
const DEFAULT_NAMES = `
create table public.t (a int not null, b int);
create table public.${LONG_TABLE} (${LONG_COLUMN} int not null);
create table public.taken (a int, constraint taken_a_not_null check (a > 0));
alter table public.taken alter column a set not null;
create table public.p (a int not null) partition by list (a);
create table public.p1 partition of public.p for values in (1);
create table public.child (x int) inherits (public.t);`;

describe("NOT NULL constraints' names and state", () => {
  it("gives a constraint the name PostgreSQL 18 gives", () => {
    expect(defaultNotNullName("t", "a", "t_a_not_null")).toBe("t_a_not_null");
    expect(defaultNotNullName("taken", "a", "taken_a_not_null1")).toBe("taken_a_not_null1");
    const long = defaultNotNullName(LONG_TABLE, LONG_COLUMN, "");
    expect(long).toBe(`${"t".repeat(27)}_${"c".repeat(26)}_not_null`);
    expect(long).toHaveLength(63);
  });

  it.runIf(newest >= 18).each(majors)(
    "reads the names PostgreSQL gives alike on %i and on 18 (none is a difference)",
    async (major) => {
      expect(await compare({ major, sql: DEFAULT_NAMES }, { major: newest, sql: DEFAULT_NAMES })).toEqual([]);
    },
  );

  it.runIf(newest >= 18).each([
    [
      "a name of its own",
      "create table public.t (a int constraint a_required not null);",
      '{"notNullName":"a_required"}',
    ],
    [
      "NOT VALID",
      "create table public.t (a int); alter table public.t add constraint t_a_not_null not null a not valid;",
      '{"notNullValid":false}',
    ],
    ["NO INHERIT", "create table public.t (a int not null no inherit);", '{"notNullNoInherit":true}'],
  ])("reports %s on 18, and nothing for its twin", async (_what, sql, actual) => {
    const plain = "create table public.t (a int not null);";
    expect(summary(await compare({ major: newest, sql: plain }, { major: newest, sql }))).toEqual([
      `schema/changed column public.t.a ${actual}`,
    ]);
    expect(await compare({ major: newest, sql }, { major: newest, sql })).toEqual([]);
  });

  it.runIf(newest >= 18 && older.length > 0).each(older)(
    "reports a name given in the DDL between %i (which drops it) and 18, with the reason",
    async (major) => {
      const sql = "create table public.t (a int constraint a_required not null);";
      const findings = await compare({ major, sql }, { major: newest, sql });
      expect(summary(findings)).toEqual([`schema/changed column public.t.a {"notNullName":"a_required"}`]);
      expect(findings[0]?.message).toMatch(/PostgreSQL 18 keeps a NOT NULL constraint's name/);
    },
  );
});
