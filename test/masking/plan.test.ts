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
];

const CATALOG: MaskingCatalog = {
  tables: new Map(
    ["parent", "child", "grandchild", "other"].map((table) => [
      `public.${table}`,
      { schema: "public", table, partitioned: false, leaves: [] },
    ]),
  ),
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

const plan = (yaml: string) => planMasking(parseMaskingRules(yaml, "/m.yaml"), CATALOG);

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
