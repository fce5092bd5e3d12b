// The same DDL on every pair of tested majors (PARITY_TEST_MAJORS: 13, 15 and 18 by default, all
// six in CI) must differ only in engine facts, never in schema, and a database compared with
// itself (or a fresh load of the same DDL) must report nothing at all.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compareSnapshots,
  type DatabaseSnapshot,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, type TestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";

const realistic = readFileSync(new URL("./fixtures/realistic.sql", import.meta.url), "utf8");

const majors = testedMajors();
const pairs = majors.flatMap((a, i) => majors.slice(i + 1).map((b) => [a, b] as const));

describe(`a realistic schema on PostgreSQL ${majors.join(", ")}`, () => {
  const databases: TestDatabase[] = [];
  const on = new Map<EmbeddedMajor, DatabaseSnapshot>();
  let on15: DatabaseSnapshot;
  let again15: DatabaseSnapshot;

  beforeAll(async () => {
    const loaded = await Promise.all(
      [...majors, 15 as const].map((major) =>
        createTestDatabase(major, realistic, { autoDrop: false, prefix: "xv", subscriptions: true }),
      ),
    );
    databases.push(...loaded);
    const snapshots = await Promise.all(loaded.map((database) => introspectDatabase(database.url)));
    for (const [i, major] of majors.entries()) on.set(major, snapshots[i] as DatabaseSnapshot);
    on15 = on.get(15) as DatabaseSnapshot;
    again15 = snapshots.at(-1) as DatabaseSnapshot;
  });
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it("reads every kind of object the schema declares", () => {
    const kinds = new Set(Object.values(on15.objects).map((object) => object.objectType));
    expect([...kinds].sort()).toEqual(
      [
        "aggregate",
        "cast",
        "collation",
        "column",
        "operator",
        "operator-class",
        "operator-family",
        "rule",
        "text-search-configuration",
        "text-search-dictionary",
        "default-privilege",
        "event-trigger",
        "foreign-server",
        "publication",
        "subscription",
        "statistics",
        "user-mapping",
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
    expect(on15.objects["table:billing.warehouse_orders"]?.props.foreignOptions).toEqual([
      "schema_name=dw",
      "table_name=orders",
    ]);
    expect(on15.objects["column:billing.warehouse_orders.id"]?.props.fdwOptions).toEqual([
      "column_name=order_id",
    ]);
    expect(on15.objects["operator-family:public.abs_ops using btree"]?.props.members).toEqual([
      "function 1 (integer, integer) public.abs_cmp(integer,integer)",
      "operator 1 public.<<|(integer,integer)",
      "operator 5 public.|>>(integer,integer)",
    ]);
    // citext and pg_trgm bring casts, operators, operator classes and families, aggregates:
    // their members, which the extension and its version stand for.
    const fromExtensions = Object.values(on15.objects).filter(
      (object) =>
        ["aggregate", "cast", "operator", "operator-class", "operator-family"].includes(object.objectType) &&
        /citext|trgm/.test(JSON.stringify(object)),
    );
    expect(fromExtensions).toEqual([]);
    expect(on15.objects["cast:(numeric as public.cents)"]?.props.context).toBe("assignment");
    expect(on15.objects["subscription:parity_feed"]?.props).toMatchObject({
      publications: ["dw_orders", "dw_refunds"],
      slotName: "parity_feed_slot",
      enabled: false,
    });
    // The subscription's connection string and the user mapping's password are never read.
    expect(JSON.stringify(on15)).not.toContain("not-read");
    expect(on15.objects["text-search-configuration:public.shop_search"]?.props.mappings).toContain(
      "asciiword: public.shop_simple, pg_catalog.english_stem",
    );
  });

  it.each(majors)(
    "reads OVERLAPS on %i as 14+ prints it, with the user's cast and without the parser's",
    (major) => {
      const objects = (on.get(major) as DatabaseSnapshot).objects;
      expect(objects["constraint:public.stays.stays_explicit_check"]?.props.definition).toBe(
        "CHECK ((((checked_in)::timestamp without time zone, booked) OVERLAPS (booked, booked)))",
      );
      expect(objects["trigger:public.stays.stays_moved"]?.props.definition).toContain(
        "WHEN (((new.arrive, new.leave) OVERLAPS (old.arrive, old.leave)))",
      );
      expect(JSON.stringify(objects)).not.toContain('\\"overlaps\\"(');
    },
  );

  it.each(pairs)("finds only engine differences between %i and %i", (a, b) => {
    const findings = compareSnapshots(on.get(a) as DatabaseSnapshot, on.get(b) as DatabaseSnapshot, {
      baseline: `pg${a}`,
      target: `pg${b}`,
    });
    const schema = findings.filter((finding) => !finding.ruleId.startsWith("engine/"));
    // The one real difference: 18 creates subscriptions streaming in parallel unless told
    // otherwise (and 13 has no streaming option to tell it), reported with that reason.
    if (a < 18 && b >= 18) {
      expect(schema.map((finding) => finding.message)).toEqual([
        expect.stringMatching(
          /^subscription parity_feed differs: streaming off → parallel \(PostgreSQL 18 creates subscriptions with streaming = parallel by default/,
        ),
      ]);
    } else {
      expect(schema).toEqual([]);
    }
    const version = findings.find((finding) => finding.ruleId === "engine/major-version");
    expect(version?.expected).toMatch(new RegExp(`^${a}\\.`));
    expect(version?.actual).toMatch(new RegExp(`^${b}\\.`));
  });

  it.each(majors)("finds nothing when a database on %i is compared with itself", (major) => {
    const snapshot = on.get(major) as DatabaseSnapshot;
    expect(compareSnapshots(snapshot, snapshot)).toEqual([]);
  });

  it("finds nothing between two separate loads of the same DDL (OIDs differ, nothing else)", () => {
    expect(compareSnapshots(on15, again15)).toEqual([]);
  });

  it("gives the same snapshot when read twice", async () => {
    const database = databases[majors.indexOf(15)] as TestDatabase;
    expect(await introspectDatabase(database.url)).toEqual(on15);
  });
});
