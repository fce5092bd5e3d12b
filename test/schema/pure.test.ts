// The pure parts: normalization of deparsed SQL, ACL parsing and the differ.
import { describe, expect, it } from "vitest";
import { anyOf } from "../../audit/core/patterns.ts";
import { compareSnapshots } from "../../audit/drift/checks/database/compare.ts";
import { constraintIndexDefinition } from "../../audit/schema/build-model.ts";
import { diffModels } from "../../audit/schema/differ.ts";
import type { DatabaseSnapshot, SchemaObject } from "../../audit/schema/model.ts";
import {
  dropDefaultInMode,
  normalizeDefinition,
  normalizeProcedureDefinition,
  normalizeViewDefinition,
  parseAclItem,
} from "../../audit/schema/normalize.ts";

describe("normalization", () => {
  it.each([
    [" SELECT 1;\n", "SELECT 1"],
    ["SELECT a,   \n   b\r\n FROM t;  ", "SELECT a,\n   b\n FROM t"],
    ["lower(name)", "lower(name)"],
  ])("normalizeDefinition(%j) = %j", (input, output) => {
    expect(normalizeDefinition(input)).toBe(output);
  });

  it("compares view queries without their indentation", () => {
    expect(normalizeViewDefinition(" SELECT t.id,\n    t.name\n   FROM t;")).toBe(
      normalizeViewDefinition("SELECT t.id,\n  t.name\nFROM t;"),
    );
    expect(normalizeViewDefinition(" SELECT t.id\n   FROM t;")).not.toBe(
      normalizeViewDefinition("SELECT t.id\nFROM u;"),
    );
  });

  it("reads a view over one aliased relation alike on 15 (qualified by the alias) and 16+ (not)", () => {
    // As pg_get_viewdef prints `select t.id, t.n + 1 as m from public.stays t where t.n > 0`.
    expect(
      normalizeViewDefinition(
        " SELECT t.id,\n    (t.n + 1) AS m\n   FROM public.stays t\n  WHERE (t.n > 0);",
      ),
    ).toBe(
      normalizeViewDefinition(" SELECT id,\n    (n + 1) AS m\n   FROM public.stays t\n  WHERE (n > 0);"),
    );
    // Another alias's columns are not the view's relation's.
    expect(normalizeViewDefinition(" SELECT t.id\n   FROM public.stays s;")).toBe(
      "SELECT t.id\nFROM public.stays s",
    );
  });

  it("drops the default IN mode that PostgreSQL 14+ prints for procedures", () => {
    expect(dropDefaultInMode("IN p_month date, INOUT closed integer DEFAULT 0")).toBe(
      "p_month date, INOUT closed integer DEFAULT 0",
    );
    expect(dropDefaultInMode("INOUT x integer, OUT y text")).toBe("INOUT x integer, OUT y text");
    expect(
      normalizeProcedureDefinition(
        "CREATE OR REPLACE PROCEDURE p(IN a integer)\n LANGUAGE sql\nAS $$ select 1 $$",
      ),
    ).toBe("CREATE OR REPLACE PROCEDURE p(a integer)\n LANGUAGE sql\nAS $$ select 1 $$");
  });

  it("parses ACL items, quoted grantees and PUBLIC", () => {
    expect(parseAclItem("app=arw/owner")).toEqual({
      grantee: "app",
      privileges: ["INSERT", "SELECT", "UPDATE"],
    });
    expect(parseAclItem('"odd ""name"""=r*/owner')).toEqual({
      grantee: 'odd "name"',
      privileges: ["SELECT WITH GRANT OPTION"],
    });
    expect(parseAclItem("=X/owner")).toEqual({ grantee: "PUBLIC", privileges: ["EXECUTE"] });
  });

  it("writes the index behind a constraint as CREATE INDEX, without deferrability", () => {
    expect(
      constraintIndexDefinition(
        "t_pkey",
        "public.t",
        "PRIMARY KEY (id) INCLUDE (v) DEFERRABLE INITIALLY DEFERRED",
      ),
    ).toBe("CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id) INCLUDE (v)");
    expect(constraintIndexDefinition("Odd Key", "App.T", "UNIQUE NULLS NOT DISTINCT (a, b)")).toBe(
      'CREATE UNIQUE INDEX "Odd Key" ON "App"."T" USING btree NULLS NOT DISTINCT (a, b)',
    );
  });

  it("matches glob patterns literally apart from * and ?", () => {
    const match = anyOf(["public.audit_*", "s?"], "excludeObjects");
    expect(match?.("public.audit_log")).toBe(true);
    expect(match?.("publicXaudit_log")).toBe(false);
    expect(match?.("s1")).toBe(true);
    expect(match?.("s12")).toBe(false);
    expect(anyOf([], "schemas")).toBeUndefined();
  });
});

function object(
  objectType: SchemaObject["objectType"],
  name: string,
  props = {},
  extra: Partial<SchemaObject> = {},
) {
  const key = `${objectType}:${name}`;
  return { [key]: { key, objectType, name, props, ...extra } as SchemaObject };
}

describe("diffModels", () => {
  const table = object("table", "public.t", { persistence: "permanent" }, { parent: "schema:public" });
  const column = object("column", "public.t.a", { type: "int" }, { parent: "table:public.t" });
  const index = object(
    "index",
    "public.t_a_idx",
    { definition: "CREATE INDEX …" },
    { parent: "table:public.t" },
  );

  it("reports a missing table once, listing what goes with it", () => {
    const diffs = diffModels({ ...table, ...column, ...index }, {});
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatchObject({ kind: "missing", object: { name: "public.t" } });
    expect(diffs[0]?.kind === "missing" && diffs[0].contains.map((o) => o.name)).toEqual([
      "public.t.a",
      "public.t_a_idx",
    ]);
  });

  it("reports changed properties only, ignoring property order", () => {
    const before = object("column", "public.t.a", { type: "int", notNull: false, tags: ["a", "b"] });
    const after = object("column", "public.t.a", { tags: ["a", "b"], notNull: true, type: "int" });
    const diffs = diffModels(before, after);
    expect(diffs).toHaveLength(1);
    expect(diffs[0]?.kind === "changed" && diffs[0].changedProps).toEqual(["notNull"]);
  });

  it("treats an absent property like null, and equal arrays as equal", () => {
    expect(diffModels(object("schema", "s", { comment: null }), object("schema", "s", {}))).toEqual([]);
    expect(
      diffModels(object("enum", "e", { labels: ["a"] }), object("enum", "e", { labels: ["a"] })),
    ).toEqual([]);
    expect(
      diffModels(object("enum", "e", { labels: ["a", "b"] }), object("enum", "e", { labels: ["b", "a"] })),
    ).toHaveLength(1);
  });

  it("names unchanged objects built on a changed one, transitively", () => {
    const model = (labels: string[]) => ({
      ...object("enum", "public.e", { labels }),
      ...object("column", "public.t.c", { type: "public.e" }, { dependsOn: ["enum:public.e"] }),
      ...object("view", "public.v", { definition: "SELECT c FROM t" }, { dependsOn: ["column:public.t.c"] }),
      ...object("view", "public.w", { definition: "SELECT 1" }),
    });
    const diffs = diffModels(model(["a"]), model(["a", "b"]));
    expect(diffs.map((d) => `${d.kind} ${d.object.name}`)).toEqual([
      "changed public.e",
      "dependent public.t.c",
      "dependent public.v",
    ]);
  });
});

describe("engine rules and finding shapes, on hand-made snapshots", () => {
  const engine = {
    versionNum: 150018,
    major: 15,
    minor: 18,
    version: "15.18",
    encoding: "UTF8",
    collate: "en_US.UTF-8",
    ctype: "en_US.UTF-8",
    localeProvider: "libc",
    iculocale: null,
  };
  const snapshot = (overrides: Partial<DatabaseSnapshot> = {}): DatabaseSnapshot => ({
    engine,
    settings: {},
    objects: {},
    ...overrides,
  });

  it("reports a minor version as a warning and a major version as an error", () => {
    const minor = compareSnapshots(
      snapshot(),
      snapshot({ engine: { ...engine, minor: 12, version: "15.12" } }),
    );
    expect(minor.map((f) => [f.ruleId, f.severity, f.expected, f.actual])).toEqual([
      ["engine/minor-version", "warning", "15.18", "15.12"],
    ]);
    const major = compareSnapshots(snapshot(), snapshot({ engine: { ...engine, major: 16, minor: 4 } }));
    expect(major.map((f) => f.ruleId)).toEqual(["engine/major-version"]);
  });

  it("reports encoding and collation differences", () => {
    const findings = compareSnapshots(
      snapshot(),
      snapshot({ engine: { ...engine, collate: "C", ctype: "C" } }),
    );
    expect(findings.map((f) => [f.ruleId, f.location.object, f.expected, f.actual])).toEqual([
      ["engine/locale", "collate", "en_US.UTF-8", "C"],
      ["engine/locale", "ctype", "en_US.UTF-8", "C"],
    ]);
  });

  it("compares watched and non-default settings only", () => {
    const setting = (value: string, watched: boolean, nonDefault: boolean) => ({
      value,
      unit: null,
      watched,
      nonDefault,
    });
    const findings = compareSnapshots(
      snapshot({ settings: { TimeZone: setting("UTC", true, false), geqo: setting("on", false, false) } }),
      snapshot({
        settings: { TimeZone: setting("Europe/Paris", true, true), geqo: setting("off", false, false) },
      }),
    );
    expect(findings.map((f) => f.location.object)).toEqual(["TimeZone"]);
  });

  it("gives changed definitions a unified diff and counts what goes with a missing table", () => {
    const view = (definition: string) => object("view", "public.v", { definition, comment: null });
    const [changed] = compareSnapshots(
      snapshot({ objects: view("SELECT 1\nFROM t") }),
      snapshot({ objects: view("SELECT 2\nFROM t") }),
      { baseline: "prod", target: "staging" },
    );
    expect(changed?.message).toBe("view public.v differs: definition (see diff)");
    expect(changed?.diff).toContain("--- prod/public.v");
    expect(changed?.diff).toContain("+++ staging/public.v");
    expect(changed?.diff).toContain("-SELECT 1\n+SELECT 2\n FROM t");

    const table = {
      ...object("table", "public.t", {}),
      ...object("column", "public.t.a", {}, { parent: "table:public.t" }),
      ...object("column", "public.t.b", {}, { parent: "table:public.t" }),
      ...object("index", "public.t_idx", {}, { parent: "table:public.t" }),
    };
    const [missing] = compareSnapshots(snapshot({ objects: table }), snapshot(), {
      baseline: "prod",
      target: "staging",
    });
    expect(missing?.message).toBe(
      "table public.t exists in prod but not in staging (with 2 columns, 1 index)",
    );
    expect((missing?.expected as { contains?: string[] } | undefined)?.contains).toEqual([
      "column public.t.a",
      "column public.t.b",
      "index public.t_idx",
    ]);
  });
});
