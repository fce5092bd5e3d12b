// planMasking is pure: rules + catalog → what to update, or every problem. Tables of cases on a
// synthetic catalog: parent(tenant, email unique) ← child(tenant, parent_email) composite FK,
// child.parent_email ← grandchild.email FK, plus an unrelated table.
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import type { CatalogColumn, MaskingCatalog } from "../../audit/masking/catalog.ts";
import { parseMaskingRules } from "../../audit/masking/index.ts";
import { planMasking } from "../../audit/masking/plan.ts";

function column(table: string, name: string, extra: Partial<CatalogColumn> = {}): CatalogColumn {
  return {
    schema: "public",
    table,
    column: name,
    type: "text",
    category: "S",
    baseType: "text",
    maxLength: null,
    domain: false,
    generated: false,
    relkind: "r",
    notNull: false,
    unique: false,
    assignable: true,
    ...extra,
  };
}

const COLUMNS = [
  column("parent", "tenant", { type: "integer", category: "N", notNull: true }),
  column("parent", "email", { notNull: true, unique: true }),
  column("parent", "nick"),
  column("child", "tenant", { type: "integer", category: "N" }),
  column("child", "parent_email"),
  column("grandchild", "email"),
  column("other", "email"),
  column("other", "total", { type: "numeric", category: "N" }),
  column("other", "slug", { assignable: false }),
  column("other", "born", { type: "date", baseType: "date", category: "D" }),
  column("narrow", "email", { type: "character varying(20)", maxLength: 20, unique: true }),
  column("narrow", "tiny", { type: "character varying(12)", maxLength: 12 }),
  column("narrow", "phone", { type: "character varying(12)", maxLength: 12, unique: true }),
  column("narrow", "login", { unique: true }),
  column("docs", "body"),
  column("docs", "search", { type: "tsvector", baseType: "tsvector", category: "U" }),
  column("docs", "search_generated", {
    type: "tsvector",
    baseType: "tsvector",
    category: "U",
    generated: true,
  }),
];

const CATALOG: MaskingCatalog = {
  tables: new Map(
    ["parent", "child", "grandchild", "other", "narrow", "docs"].map((table) => [
      `public.${table}`,
      { schema: "public", table, partitioned: false, estimatedRows: null, leaves: [] },
    ]),
  ),
  matviews: [{ schema: "public", name: "report", populated: true, reads: ["public.parent.email"] }],
  tsvectorTriggers: [],
  checks: [],
  columns: new Map(COLUMNS.map((c) => [`${c.schema}.${c.table}.${c.column}`, c])),
  foreignKeys: [
    {
      schema: "public",
      table: "child",
      name: "child_parent_fkey",
      columns: ["tenant", "parent_email"],
      referencedSchema: "public",
      referencedTable: "parent",
      referencedColumns: ["tenant", "email"],
    },
    {
      schema: "public",
      table: "grandchild",
      name: "grandchild_email_fkey",
      columns: ["email"],
      referencedSchema: "public",
      referencedTable: "child",
      referencedColumns: ["parent_email"],
    },
  ],
};

const ROWS = new Map([["public.narrow", 100_000]]);
const plan = (yaml: string) => planMasking(parseMaskingRules(yaml, "/m.yaml"), CATALOG, { rowCounts: ROWS });

function summary(yaml: string): string[] {
  return plan(yaml).tables.flatMap((table) =>
    table.columns.map(
      (c) =>
        `${table.table}.${c.column}=${c.rule.transform}${c.unique ? "!" : ""}${c.followsForeignKeyFrom ? `<${c.followsForeignKeyFrom}` : ""}`,
    ),
  );
}

function problems(yaml: string): string[] {
  try {
    plan(yaml);
  } catch (error) {
    if (error instanceof ParityInputError) return [...error.problems];
    throw error;
  }
  throw new Error("expected problems");
}

describe("planMasking", () => {
  it.each([
    [
      "a key's rule follows every reference, transitively, in the unique form",
      "tables: { parent: { email: email } }",
      [
        "child.parent_email=email!<public.parent.email",
        "grandchild.email=email!<public.parent.email",
        "parent.email=email!",
      ],
    ],
    [
      "a reference's rule goes up to the key it references",
      "tables: { grandchild: { email: name } }",
      [
        "child.parent_email=name!<public.grandchild.email",
        "grandchild.email=name!",
        "parent.email=name!<public.grandchild.email",
      ],
    ],
    [
      "the same rule written twice in a group is fine",
      "tables: { parent: { email: email }, child: { parent_email: email } }",
      [
        "child.parent_email=email!",
        "grandchild.email=email!<public.child.parent_email",
        "parent.email=email!",
      ],
    ],
    ["keep and safe change nothing", "tables: { parent: { email: keep, nick: { safe: reviewed } } }", []],
    ["an unrelated column stays on its own", "tables: { other: { email: email } }", ["other.email=email"]],
    ["null is fine on a nullable column", "tables: { parent: { nick: null } }", ["parent.nick=null"]],
    [
      "a format-preserving transformer fits a narrow unique column of any size",
      "tables: { narrow: { phone: phone } }",
      ["narrow.phone=phone!"],
    ],
    [
      "dates take date transformers",
      "tables: { other: { born: { date-shift: 30 } } }",
      ["other.born=date-shift"],
    ],
    [
      "a ruled tsvector column in a masked table is fine; a generated one is recomputed",
      "tables: { docs: { body: redact, search: null } }",
      ["docs.body=redact", "docs.search=null"],
    ],
    [
      "keep and safe marks on a materialized view are fine",
      "tables: { report: { email: { safe: derived } } }",
      [],
    ],
  ])("%s", (_, yaml, expected) => {
    expect(summary(yaml)).toEqual(expected);
  });

  it.each([
    ["tables: { missing: { x: email } }", "/m.yaml: tables.public.missing: no such table in the database"],
    [
      "tables: { other: { nope: email } }",
      "/m.yaml: tables.public.other.nope: no such column in the database",
    ],
    [
      "tables: { other: { total: phone } }",
      "tables.public.other.total: has type numeric; the phone transformer writes text",
    ],
    ["tables: { parent: { email: null } }", "tables.public.parent.email: is NOT NULL"],
    [
      "tables: { narrow: { email: email } }",
      "tables.public.narrow.email: is unique with 100,000 rows, but the email transformer has 32.0 bits of distinct output in character varying(20): a collision has a 68.8% chance",
    ],
    ["tables: { narrow: { tiny: email } }", "an email stand-in needs at least 16 characters"],
    [
      "tables: { narrow: { login: name } }",
      "tables.public.narrow.login: is unique with 100,000 rows, but the name transformer has 25.0 bits",
    ],
    ["tables: { other: { total: keep-year } }", "the keep-year transformer needs a date or timestamp"],
    ["tables: { other: { email: { date-shift: 30 } } }", "the date-shift transformer needs a date"],
    [
      "tables: { docs: { body: redact } }",
      "tables.public.docs.search: is a tsvector in a masked table and no tsvector trigger recomputes it",
    ],
    ["tables: { report: { email: email } }", "tables.public.report: is a materialized view"],
    [
      "tables: { other: { slug: email } }",
      "tables.public.other.slug: is a generated or GENERATED ALWAYS identity column",
    ],
    [
      "tables: { grandchild: { email: { fixed: x } } }",
      "tables.public.grandchild.email: is unique (or tied by a foreign key to a unique column)",
    ],
    [
      "tables: { parent: { email: email }, grandchild: { email: keep } }",
      "must be masked the same way, or the references break: public.grandchild.email is keep, public.parent.email is email",
    ],
  ])("refuses %s", (yaml, expected) => {
    expect(problems(yaml).join("\n")).toContain(expected);
  });

  it("re-checks exactly the foreign keys with a masked column on either side", () => {
    expect(plan("tables: { grandchild: { email: email } }").foreignKeys.map((fk) => fk.name)).toEqual([
      "child_parent_fkey",
      "grandchild_email_fkey",
    ]);
    expect(plan("tables: { other: { email: email } }").foreignKeys).toEqual([]);
  });
});
