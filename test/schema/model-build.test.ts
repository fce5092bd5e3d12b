// The schema read builds its model as the rows arrive (build-model.ts startModelBuild) and streams
// the columns in chunks: the model must be exactly the one built from every row at once, whatever
// the split, and a kind's rows can never be built ahead of the kinds before it.
import { describe, expect, it } from "vitest";
import { makeFilter } from "../../audit/core/patterns.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { buildObjects, startModelBuild } from "../../audit/schema/build-model.ts";
import { introspectDatabase } from "../../audit/schema/introspect.ts";
import { type CatalogRows, KINDS } from "../../audit/schema/kinds/index.ts";
import { queryFor } from "../../audit/schema/kinds/kind.ts";
import { createTestDatabase, testedMajors } from "../support/databases.ts";

// More columns than one streamed chunk (2,000), an enum (a column's dependsOn), a view, indexes
// behind constraints (the indexes kind reads the constraints' rows).
const SCHEMA = `
create type mood as enum ('ok', 'sad');
${Array.from(
  { length: 260 },
  (_, i) => `create table t${i} (id bigserial primary key, code text unique, m mood default 'ok',
    a int default ${i}, b text default 'x', c timestamptz default now(), d jsonb, e numeric(10,2), f date, g bool);`,
).join("\n")}
create view v as select id, code from t0;
comment on column t7.code is 'seven';
`;

/** Every kind's rows, read plainly (one result per query), for buildObjects. */
async function plainRows(url: string, major: number): Promise<CatalogRows> {
  return withClient(url, async (client) => {
    await client.query("begin isolation level repeatable read read only; set local search_path = pg_catalog");
    const rows: Record<string, unknown[]> = {};
    for (const kind of KINDS) {
      const parameters =
        "parameters" in kind && kind.parameters
          ? kind.parameters({ full: null, light: null, withLight: null })
          : kind.scope === "relation"
            ? [null]
            : [];
      rows[kind.name] = (await client.query(queryFor(kind, major), parameters)).rows;
    }
    for (const row of rows.relations as {
      deparse_view: boolean;
      oid: string;
      view_definition: string | null;
    }[]) {
      if (row.deparse_view)
        row.view_definition = (
          await client.query("select pg_get_viewdef($1::oid) as d", [row.oid])
        ).rows[0].d;
    }
    await client.query("commit");
    return rows as unknown as CatalogRows;
  });
}

describe.each(testedMajors())("the model built as rows arrive, PostgreSQL %i", (major) => {
  it("equals the model built from every row at once, columns streamed in chunks", async () => {
    const database = await createTestDatabase(major, SCHEMA);
    const streamed = await introspectDatabase(database.url);
    const whole = buildObjects(await plainRows(database.url, major), makeFilter({}));
    expect(Object.keys(streamed.objects).filter((key) => key.startsWith("column:")).length).toBe(260 * 10);
    expect(JSON.stringify(streamed.objects)).toBe(JSON.stringify(whole));
  }, 120_000);
});

describe("startModelBuild", () => {
  it("builds a kind in parts only when every kind before it is built", () => {
    const build = startModelBuild(makeFilter({}));
    expect(() => build.addPart("columns", [])).toThrow(/cannot be built before the kinds ahead of it/);
    build.add("schemas", []);
    build.add("relations", []);
    expect(() => build.addPart("columns", [])).not.toThrow();
    expect(() => build.addPart("constraints", [])).toThrow(/constraints/);
    expect(build.finish()).toEqual({});
  });
});
