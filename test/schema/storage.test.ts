// Where indexes and materialized views are stored, on every tested major: their tablespace, and a
// materialized view's access method (an index's is in its definition, USING btree), each against
// a twin. The tablespace is in place (under pg_tblspc): the server runs as another OS user.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import {
  compareSnapshots,
  type DatabaseSnapshot,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, serverUrl, type TestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";

const space = `parity_store_${randomBytes(4).toString("hex")}`;
const AM = "create access method parity_heap type table handler heap_tableam_handler;";
const shape = (index: string, view: string, key = "") => `${AM}
create table public.t (id int ${key}, n int);
create index t_n on public.t ${index};
create materialized view public.mv ${view} as select id from public.t with no data;`;

const SHAPES = {
  base: shape("(n)", ""),
  indexMoved: shape(`(n) tablespace ${space}`, ""),
  indexHash: shape("using hash (n)", ""),
  key: shape("(n)", "", "primary key"),
  keyMoved: shape("(n)", "", `primary key using index tablespace ${space}`),
  viewMoved: shape("(n)", `tablespace ${space}`),
  viewAm: shape("(n)", "using parity_heap"),
};
type Shape = keyof typeof SHAPES;

const summary = (findings: Finding[]) =>
  findings
    .filter((f) => !f.ruleId.startsWith("engine/"))
    .map((f) => `${f.ruleId} ${f.location.objectType} ${f.location.object} ${JSON.stringify(f.actual)}`)
    .sort();

describe.each(testedMajors())(
  "index and materialized-view storage on PostgreSQL %i",
  (major: EmbeddedMajor) => {
    const databases: TestDatabase[] = [];
    const read: Partial<Record<Shape | "again", DatabaseSnapshot>> = {};

    beforeAll(async () => {
      await withClient(serverUrl(major), async (client) => {
        await client.query("set allow_in_place_tablespaces = on");
        await client.query(`create tablespace ${space} location ''`);
      });
      const entries = [
        ...Object.entries(SHAPES),
        ...Object.entries(SHAPES).map(([n, s]) => [`${n}Again`, s]),
      ];
      await Promise.all(
        entries.map(async ([name, sql]) => {
          const database = await createTestDatabase(major, sql, { autoDrop: false, prefix: "store" });
          databases.push(database);
          (read as Record<string, DatabaseSnapshot>)[name as string] = await introspectDatabase(database.url);
        }),
      );
    });
    afterAll(async () => {
      for (const database of databases) await database.drop();
      await withClient(serverUrl(major), (client) => client.query(`drop tablespace if exists ${space}`));
    });

    const compare = (a: string, b: string) =>
      summary(
        compareSnapshots(
          (read as Record<string, DatabaseSnapshot>)[a] as DatabaseSnapshot,
          (read as Record<string, DatabaseSnapshot>)[b] as DatabaseSnapshot,
        ),
      );

    it.each([
      ["an index's tablespace", "indexMoved", [`schema/changed index public.t_n {"tablespace":"${space}"}`]],
      [
        "an index's access method",
        "indexHash",
        [`schema/changed index public.t_n {"definition":"CREATE INDEX t_n ON public.t USING hash (n)"}`],
      ],
      [
        "a primary key's index tablespace",
        "keyMoved",
        [`schema/changed index public.t_pkey {"tablespace":"${space}"}`],
      ],
      [
        "a materialized view's tablespace",
        "viewMoved",
        [`schema/changed materialized-view public.mv {"tablespace":"${space}"}`],
      ],
      [
        "a materialized view's access method",
        "viewAm",
        [`schema/changed materialized-view public.mv {"accessMethod":"parity_heap"}`],
      ],
    ] as const)("reports %s", (_what, changed, expected) => {
      expect(compare(changed === "keyMoved" ? "key" : "base", changed)).toEqual([...expected].sort());
    });

    it.each(Object.keys(SHAPES))("reports nothing for the twin of %s", (name) => {
      expect(compare(name, `${name}Again`)).toEqual([]);
    });

    it("reads the primary key's index in the tablespace", () => {
      expect(read.keyMoved?.objects["index:public.t_pkey"]?.props.tablespace).toBe(space);
    });
  },
);
