// The same DDL on PostgreSQL 13 and 15 must differ only in engine facts, never in schema, and a
// database compared with itself (or a fresh load of the same DDL) must report nothing at all.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compareSnapshots,
  type DatabaseSnapshot,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

const realistic = readFileSync(new URL("./fixtures/realistic.sql", import.meta.url), "utf8");

describe("a realistic schema on PostgreSQL 13 and 15", () => {
  const databases: TestDatabase[] = [];
  let on13: DatabaseSnapshot;
  let on15: DatabaseSnapshot;
  let again15: DatabaseSnapshot;

  beforeAll(async () => {
    const [db13, db15, db15b] = await Promise.all([
      createTestDatabase(13, realistic, { autoDrop: false, prefix: "xv" }),
      createTestDatabase(15, realistic, { autoDrop: false, prefix: "xv" }),
      createTestDatabase(15, realistic, { autoDrop: false, prefix: "xv" }),
    ]);
    databases.push(db13, db15, db15b);
    [on13, on15, again15] = await Promise.all([
      introspectDatabase(db13.url),
      introspectDatabase(db15.url),
      introspectDatabase(db15b.url),
    ]);
  });
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it("reads every kind of object the schema declares", () => {
    const kinds = new Set(Object.values(on15.objects).map((object) => object.objectType));
    expect([...kinds].sort()).toEqual(
      [
        "collation",
        "column",
        "constraint",
        "domain",
        "enum",
        "extension",
        "function",
        "index",
        "materialized-view",
        "policy",
        "privilege",
        "procedure",
        "schema",
        "sequence",
        "table",
        "trigger",
        "type",
        "view",
      ].sort(),
    );
    expect(on15.objects["table:billing.invoices_2024"]?.props.partitionOf).toBe("billing.invoices");
    expect(on15.objects["column:public.customers.search"]?.props.generated).toContain("to_tsvector");
    expect(on15.objects["trigger:public.orders.orders_audit"]?.props.enabled).toBe("disabled");
  });

  it("finds only engine differences between the majors", () => {
    const findings = compareSnapshots(on13, on15, { baseline: "pg13", target: "pg15" });
    expect(findings.filter((finding) => !finding.ruleId.startsWith("engine/"))).toEqual([]);
    const rules = new Set(findings.map((finding) => finding.ruleId));
    expect(rules.has("engine/major-version")).toBe(true);
    const version = findings.find((finding) => finding.ruleId === "engine/major-version");
    expect(version?.expected).toMatch(/^13\./);
    expect(version?.actual).toMatch(/^15\./);
  });

  it("finds nothing when a database is compared with itself", () => {
    expect(compareSnapshots(on15, on15)).toEqual([]);
    expect(compareSnapshots(on13, on13)).toEqual([]);
  });

  it("finds nothing between two separate loads of the same DDL (OIDs differ, nothing else)", () => {
    expect(compareSnapshots(on15, again15)).toEqual([]);
  });

  it("gives the same snapshot when read twice", async () => {
    const database = databases[1] as TestDatabase;
    expect(await introspectDatabase(database.url)).toEqual(on15);
  });
});
