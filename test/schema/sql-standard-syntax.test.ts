// What PostgreSQL 13 and 14+ really print for the same expressions (read from the servers with
// pg_get_constraintdef / pg_get_expr), and that both read alike once canonical.
import { describe, expect, it } from "vitest";
import { canonicalSqlStandardSyntax, crossMajorReason } from "../../audit/schema/sql-standard-syntax.ts";

const SAME: { what: string; on13: string; on14: string }[] = [
  {
    what: "substring from/for",
    on13: `"substring"('abc'::text, 1, 2)`,
    on14: `SUBSTRING('abc'::text FROM 1 FOR 2)`,
  },
  {
    what: "position (arguments swap)",
    on13: `"position"(x, 'a'::text)`,
    on14: `POSITION(('a'::text) IN (x))`,
  },
  {
    what: "nested position and substring",
    on13: `CHECK (("position"((x || 'a'::text), "substring"(x, 1, 2)) > 0))`,
    on14: `CHECK ((POSITION((SUBSTRING(x FROM 1 FOR 2)) IN ((x || 'a'::text))) > 0))`,
  },
  {
    what: "trim both",
    on13: `CHECK ((btrim(x, 'x'::text) <> ''::text))`,
    on14: `CHECK ((TRIM(BOTH 'x'::text FROM x) <> ''::text))`,
  },
  {
    what: "overlay, trim leading/trailing/both without characters",
    on13: `CHECK ((("overlay"(x, 'ab'::text, 2, 3) <> ''::text) AND (ltrim(x) <> ''::text) AND (rtrim(x, 'y'::text) <> ''::text) AND (btrim(x) <> ''::text)))`,
    on14: `CHECK (((OVERLAY(x PLACING 'ab'::text FROM 2 FOR 3) <> ''::text) AND (TRIM(LEADING FROM x) <> ''::text) AND (TRIM(TRAILING 'y'::text FROM x) <> ''::text) AND (TRIM(BOTH FROM x) <> ''::text)))`,
  },
  {
    what: "substring without FOR, overlay without FOR",
    on13: `CHECK ((("substring"(x, 2) <> ''::text) AND ("substring"(x, 1, 3) <> ''::text) AND ("overlay"(x, 'q'::text, 1) <> ''::text)))`,
    on14: `CHECK (((SUBSTRING(x FROM 2) <> ''::text) AND (SUBSTRING(x FROM 1 FOR 3) <> ''::text) AND (OVERLAY(x PLACING 'q'::text FROM 1) <> ''::text)))`,
  },
  {
    what: "AT TIME ZONE",
    on13: `CHECK ((timezone('UTC'::text, ts) > '2000-01-01 00:00:00'::timestamp without time zone))`,
    on14: `CHECK (((ts AT TIME ZONE 'UTC'::text) > '2000-01-01 00:00:00'::timestamp without time zone))`,
  },
  {
    what: "normalize, IS NORMALIZED, COLLATION FOR",
    on13: `CHECK ((("normalize"(x) <> ''::text) AND is_normalized(x) AND (pg_collation_for(x) <> ''::text)))`,
    on14: `CHECK (((NORMALIZE(x) <> ''::text) AND (x IS NORMALIZED) AND (COLLATION FOR (x) <> ''::text)))`,
  },
  {
    what: "normalization forms",
    on13: `CHECK ((is_normalized(x, 'nfc'::text) AND ("normalize"(x, 'nfd'::text) <> ''::text)))`,
    on14: `CHECK (((x IS NFC NORMALIZED) AND (NORMALIZE(x, NFD) <> ''::text)))`,
  },
  {
    what: "an implicit cast 13 shows on a varchar argument",
    on13: `CHECK ((btrim((v)::text) <> ''::text))`,
    on14: `CHECK ((TRIM(BOTH FROM v) <> ''::text))`,
  },
];

describe("SQL-standard function syntax across majors", () => {
  it.each(SAME)("$what reads alike on 13 and 14+", ({ on13, on14 }) => {
    expect(canonicalSqlStandardSyntax(on13)).toBe(canonicalSqlStandardSyntax(on14));
  });

  it.each(SAME)("$what is a fixed point once canonical", ({ on14 }) => {
    const once = canonicalSqlStandardSyntax(on14);
    expect(canonicalSqlStandardSyntax(once)).toBe(once);
  });

  it.each([
    ["a different position argument order", `"position"(x, 'a'::text)`, `"position"('a'::text, x)`],
    ["a different trim side", `TRIM(LEADING FROM x)`, `TRIM(TRAILING FROM x)`],
    ["a different substring length", `SUBSTRING(x FROM 1 FOR 2)`, `SUBSTRING(x FROM 1 FOR 3)`],
    ["a cast to another type", `btrim((v)::character varying)`, `btrim(v)`],
  ])("keeps %s apart", (_what, a, b) => {
    expect(canonicalSqlStandardSyntax(a)).not.toBe(canonicalSqlStandardSyntax(b));
  });

  it.each([
    ["a string literal that looks like syntax", `'SUBSTRING(x FROM 1)'::text`],
    ["a quoted identifier", `"TRIM(BOTH"`],
    ["a schema-qualified user function", `app.btrim((x)::text)`],
    ["an escaped literal", `E'\\\\' || 'POSITION(a IN b)'`],
    ["EXTRACT, which is not the same call as date_part", `EXTRACT(year FROM d)`],
    ["SUBSTRING … SIMILAR, which 13 cannot write", `SUBSTRING(x SIMILAR 'a%'::text ESCAPE '#'::text)`],
  ])("leaves %s as it is", (_what, text) => {
    expect(canonicalSqlStandardSyntax(text)).toBe(text);
  });

  it("names the reason when EXTRACT meets date_part", () => {
    expect(
      crossMajorReason(
        "CHECK ((date_part('year'::text, d) > (2000)::double precision))",
        "CHECK ((EXTRACT(year FROM d) > (2000)::numeric))",
      ),
    ).toMatch(/EXTRACT returns numeric from PostgreSQL 14/);
    expect(crossMajorReason("CHECK ((a > 1))", "CHECK ((a > 2))")).toBeNull();
  });
});
