// The catalog read on real servers of both majors: the numbers the rules are judged with, for
// tables never analyzed, partitioned tables and quoted names, and proof that lint changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../audit/lint/facts.ts";
import { readTargetFacts } from "../../audit/lint/read-facts.ts";
import { createTestDatabase, query, type TestDatabase, testedMajors } from "../support/databases.ts";

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("expected the table to be read");
  return value;
}

const SCHEMA = `
CREATE TABLE analyzed (id bigint PRIMARY KEY, email varchar(20), note text, CONSTRAINT email_nn CHECK (email IS NOT NULL));
INSERT INTO analyzed SELECT g, 'a' || g, NULL FROM generate_series(1, 20000) g;
ANALYZE analyzed;
CREATE TABLE never_analyzed (id bigint, payload text);
INSERT INTO never_analyzed SELECT g, repeat('x', 60) FROM generate_series(1, 20000) g;
CREATE TABLE parted (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE parted_2025 PARTITION OF parted FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO parted SELECT g, date '2025-06-01' + (g % 400) FROM generate_series(1, 8000) g;
ANALYZE parted_2025; ANALYZE parted_2026;
CREATE SCHEMA "Shop";
CREATE TABLE "Shop"."Orders" (id int);
`;

describe.each(testedMajors())("catalog read on PostgreSQL %i", (major) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(major, SCHEMA, { autoDrop: false, prefix: "lint_facts" });
    return () => database.drop();
  });

  const read = (relations: string[], functions: string[] = []) =>
    readTargetFacts({ url: database.url, environment: "target", relations, functions });

  it("reads rows, sizes, indexes, constraints and columns of an analyzed table", async () => {
    const facts = await read(["analyzed"]);
    expect(facts.serverVersionNum).toBeGreaterThanOrEqual(major * 10000);
    expect(facts.serverVersionNum).toBeLessThan((major + 1) * 10000);
    const table = facts.tables.get("analyzed");
    expect(table).toBe(facts.tables.get("public.analyzed"));
    expect(table?.rowEstimate).toBe(20000);
    expect(rowsOf(present(table))).toEqual({ rows: 20000, basis: "statistics" });
    expect(table?.heapBytes).toBeGreaterThan(500_000);
    expect(table?.totalBytes).toBeGreaterThan(table?.heapBytes ?? 0);
    expect(table?.indexes).toEqual([
      expect.objectContaining({ name: "analyzed_pkey", keyColumns: 1, unique: true }),
    ]);
    expect(table?.constraints).toContainEqual({
      name: "email_nn",
      type: "c",
      validated: true,
      definition: "CHECK ((email IS NOT NULL))",
    });
    expect(table?.columns.find((column) => column.name === "email")).toEqual({
      name: "email",
      type: "character varying(20)",
      typeName: "varchar",
      typmod: 24,
      notNull: false,
    });
  });

  it("guesses rows from the size of a table never analyzed (13 says 0 rows, 14+ says -1)", async () => {
    const table = (await read(["never_analyzed"])).tables.get("never_analyzed");
    expect(table?.heapBytes).toBeGreaterThan(1_000_000);
    const { rows, basis } = rowsOf(present(table));
    expect(basis).toBe("size");
    expect(rows).toBeGreaterThan(5_000);
    expect(rows).toBeLessThan(80_000);
  });

  it("sums a partitioned table over its partitions", async () => {
    const table = (await read(["parted"])).tables.get("parted");
    expect(table?.kind).toBe("p");
    expect(table?.rowEstimate).toBe(8000);
    expect(table?.heapBytes).toBeGreaterThan(0);
  });

  it("finds quoted mixed-case names exactly as written, and an index's table by the index's name", async () => {
    const facts = await read(["Shop.Orders", "shop.orders", "missing", "analyzed_pkey", "analyzed_pkey_seq"]);
    expect(facts.tables.get("Shop.Orders")?.name).toBe("Shop.Orders");
    expect(facts.tables.has("shop.orders")).toBe(false);
    expect(facts.tables.has("missing")).toBe(false);
    expect(facts.tables.get("analyzed_pkey")?.name).toBe("public.analyzed");
  });

  it("reads function volatility and the casts that need no rewrite from the target itself", async () => {
    const facts = await read([], ["gen_random_uuid", "now", "lower", "not_a_function"]);
    expect(facts.functionVolatility.get("gen_random_uuid")).toEqual(["v"]);
    expect(facts.functionVolatility.get("now")).toEqual(["s"]);
    expect(facts.functionVolatility.get("lower")).toEqual(["i"]);
    expect(facts.functionVolatility.has("not_a_function")).toBe(false);
    expect(facts.binaryCoercible.has("varchar>text")).toBe(true);
    expect(facts.binaryCoercible.has("int8>int4")).toBe(false);
  });

  it("leaves no trace: no lock held, nothing created, the session gone", async () => {
    await read(["analyzed", "never_analyzed"]);
    const sessions = await query(
      database.url,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'parity lint'",
    );
    expect(sessions[0]?.n).toBe(0);
  });
});
