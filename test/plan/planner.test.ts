// The planner's pure core on hand-made models: what it refuses, what it marks, in what order.
import { describe, expect, it } from "vitest";
import { planMigration } from "../../audit/plan/planner.ts";
import type { DatabaseSnapshot, ObjectType, PropValue, SchemaObject } from "../../audit/schema/model.ts";

function object(
  objectType: ObjectType,
  name: string,
  props: Record<string, PropValue>,
  extra: Partial<SchemaObject> = {},
): SchemaObject {
  return { key: `${objectType}:${name}`, objectType, name, props, ...extra };
}

function snapshot(major: number, objects: SchemaObject[]): DatabaseSnapshot {
  return {
    engine: {
      versionNum: major * 10000,
      major,
      minor: 0,
      version: String(major),
      encoding: "UTF8",
      collate: "C",
      ctype: "C",
      localeProvider: "libc",
      iculocale: null,
    },
    settings: {},
    objects: Object.fromEntries(objects.map((item) => [item.key, item])),
  };
}

const schema = object("schema", "public", { comment: null });
const table = (props: Record<string, PropValue> = {}) =>
  object(
    "table",
    "public.t",
    {
      kind: "ordinary",
      persistence: "permanent",
      partitionKey: null,
      partitionOf: null,
      partitionBound: null,
      inherits: null,
      options: null,
      rowSecurity: false,
      forceRowSecurity: false,
      comment: null,
      ...props,
    },
    { parent: "schema:public" },
  );
const column = (name: string, type: string, extra: Partial<SchemaObject> = {}) =>
  object(
    "column",
    `public.t.${name}`,
    {
      type,
      collation: null,
      notNull: false,
      default: null,
      identity: null,
      generated: null,
      inherited: false,
      comment: null,
    },
    { parent: "table:public.t", ...extra },
  );
const mood = (labels: string[]) =>
  object("enum", "public.mood", { labels, comment: null }, { parent: "schema:public" });

describe("planMigration", () => {
  it("refuses a table whose partition key changed, naming it, and plans nothing else", () => {
    const from = snapshot(15, [
      schema,
      table({ kind: "partitioned", partitionKey: "RANGE (id)" }),
      column("id", "integer"),
      column("extra", "text"),
    ]);
    const to = snapshot(15, [schema, table(), column("id", "integer")]);
    const plan = planMigration(from, to);
    expect(plan.statements).toEqual([]);
    expect(plan.refusals).toEqual([expect.objectContaining({ objectType: "table", name: "public.t" })]);
    expect(plan.refusals[0]?.reason).toContain("kind, partitionKey changed");
  });

  const index = (tablespace: string | null) =>
    object(
      "index",
      "public.t_id",
      {
        table: "public.t",
        definition: "CREATE INDEX t_id ON public.t USING btree (id)",
        valid: true,
        tablespace,
        comment: null,
      },
      { parent: "table:public.t" },
    );
  const view = (props: Record<string, PropValue>) =>
    object(
      "materialized-view",
      "public.mv",
      { definition: "SELECT 1 AS one", options: null, comment: null, ...props },
      { parent: "schema:public" },
    );

  it.each([
    ["an index to create in a tablespace", [index("fast")], [], "index", "tablespace"],
    ["an index that moved tablespace", [index("fast")], [index(null)], "index", "tablespace"],
    [
      "a materialized view in another access method",
      [view({ accessMethod: "columnar", tablespace: null })],
      [view({ accessMethod: null, tablespace: null })],
      "materialized-view",
      "accessMethod",
    ],
    [
      "a materialized view to create in a tablespace",
      [view({ accessMethod: null, tablespace: "fast" })],
      [],
      "materialized-view",
      "tablespace",
    ],
  ] as const)("refuses %s, which it has no DDL for", (_what, fromObjects, toObjects, objectType, prop) => {
    const base = [schema, table(), column("id", "integer")];
    const plan = planMigration(
      snapshot(15, [...base, ...fromObjects]),
      snapshot(15, [...base, ...toObjects]),
    );
    expect(plan.refusals).toEqual([expect.objectContaining({ objectType })]);
    expect(plan.refusals[0]?.reason).toContain(`does not generate DDL for ${prop}`);
    expect(plan.statements.map((statement) => statement.sql).join("\n")).not.toMatch(
      /CREATE (INDEX|MATERIALIZED)/,
    );
  });

  it.each([
    [11, false],
    [13, true],
  ])("adds an enum label in place; on PostgreSQL %i transactional is %s", (major, transactional) => {
    const plan = planMigration(
      snapshot(15, [schema, mood(["a", "b", "c"])]),
      snapshot(major, [schema, mood(["a", "c"])]),
    );
    expect(plan.statements).toEqual([
      expect.objectContaining({
        sql: `ALTER TYPE "public"."mood" ADD VALUE IF NOT EXISTS 'b' BEFORE 'c'`,
        transactional,
      }),
    ]);
    expect(plan.statements[0]?.hazards.map((hazard) => hazard.kind)).toEqual(
      transactional ? [] : ["non-transactional"],
    );
  });

  it("rebuilds an enum whose labels are removed, converting its columns through text", () => {
    const typed = column("m", "public.mood", { dependsOn: ["enum:public.mood"] });
    const plan = planMigration(
      snapshot(15, [schema, mood(["a"]), table(), typed]),
      snapshot(15, [schema, mood(["a", "b"]), table(), typed]),
    );
    const sql = plan.statements.map((statement) => statement.sql);
    expect(sql).toEqual([
      `ALTER TYPE "public"."mood" RENAME TO "mood__parity_old"`,
      `CREATE TYPE "public"."mood" AS ENUM ('a')`,
      `ALTER TABLE "public"."t" ALTER COLUMN "m" TYPE public.mood USING "m"::text::public.mood`,
      `DROP TYPE "public"."mood__parity_old"`,
    ]);
    expect(plan.statements[2]?.hazards.map((hazard) => hazard.kind)).toEqual([
      "rewrite",
      "lock",
      "data-loss",
    ]);
  });

  it("rebuilds instead of adding a label the same plan goes on to use (unusable before commit)", () => {
    const typed = column("m", "public.mood", { dependsOn: ["enum:public.mood"] });
    const withDefault = { ...typed, props: { ...typed.props, default: "'c'::public.mood" } };
    const plan = planMigration(
      snapshot(15, [schema, mood(["a", "c"]), table(), withDefault]),
      snapshot(15, [schema, mood(["a"]), table(), typed]),
    );
    const sql = plan.statements.map((statement) => statement.sql);
    expect(sql.some((statement) => statement.includes("ADD VALUE"))).toBe(false);
    expect(sql).toContain(`ALTER TYPE "public"."mood" RENAME TO "mood__parity_old"`);
    expect(sql.at(-2)).toBe(`ALTER TABLE "public"."t" ALTER COLUMN "m" SET DEFAULT 'c'::public.mood`);
  });

  it("refuses to rebuild an enum a function still takes", () => {
    const routine = object(
      "function",
      "public.f(public.mood)",
      { arguments: "m public.mood", result: "integer", definition: "CREATE FUNCTION …" },
      { parent: "schema:public" },
    );
    const plan = planMigration(
      snapshot(15, [schema, mood(["b", "a"]), routine]),
      snapshot(15, [schema, mood(["a", "b"]), routine]),
    );
    expect(plan.refusals).toEqual([expect.objectContaining({ objectType: "enum", name: "public.mood" })]);
  });

  it("drops a view over a column whose type changes before the change, and creates it after", () => {
    const view = object(
      "view",
      "public.v",
      { definition: "SELECT t.id FROM public.t", options: null, comment: null },
      { parent: "schema:public", dependsOn: ["column:public.t.id"] },
    );
    const plan = planMigration(
      snapshot(15, [schema, table(), column("id", "bigint"), view]),
      snapshot(15, [schema, table(), column("id", "integer"), view]),
    );
    expect(plan.statements.map((statement) => statement.sql)).toEqual([
      `DROP VIEW IF EXISTS "public"."v"`,
      `ALTER TABLE "public"."t" ALTER COLUMN "id" TYPE bigint USING "id"::bigint`,
      `CREATE VIEW "public"."v" AS\nSELECT t.id FROM public.t`,
    ]);
    expect(plan.statements[1]?.hazards).toContainEqual(expect.objectContaining({ kind: "rewrite" }));
    expect(plan.statements[1]?.hazards).toContainEqual({
      kind: "lock",
      detail: expect.any(String),
      lock: { mode: "ACCESS EXCLUSIVE", on: "public.t" },
    });
  });

  it("marks narrowing a column as data loss and widening a varchar as neither rewrite nor loss", () => {
    const narrow = planMigration(
      snapshot(15, [schema, table(), column("c", "character varying(5)")]),
      snapshot(15, [schema, table(), column("c", "text")]),
    );
    expect(narrow.statements[0]?.hazards.map((hazard) => hazard.kind)).toEqual([
      "lock",
      "rewrite",
      "data-loss",
    ]);
    const widen = planMigration(
      snapshot(15, [schema, table(), column("c", "character varying(50)")]),
      snapshot(15, [schema, table(), column("c", "character varying(5)")]),
    );
    expect(widen.statements[0]?.hazards.map((hazard) => hazard.kind)).toEqual(["lock"]);
  });

  it("refuses objects in a schema whose name holds a dot", () => {
    const dotted = object("schema", "a.b", { comment: null });
    const inside = object(
      "sequence",
      "a.b.s",
      {
        type: "bigint",
        start: "1",
        increment: "1",
        min: "1",
        max: "9",
        cache: "1",
        cycle: false,
        ownedBy: null,
        comment: null,
      },
      { parent: "schema:a.b" },
    );
    const plan = planMigration(snapshot(15, [dotted, inside]), snapshot(15, [dotted]));
    expect(plan.refusals).toEqual([expect.objectContaining({ name: "a.b.s" })]);
  });

  it("plans nothing for identical models", () => {
    const objects = [schema, table(), column("id", "integer")];
    expect(planMigration(snapshot(15, objects), snapshot(13, objects))).toEqual({
      statements: [],
      refusals: [],
    });
  });
});
