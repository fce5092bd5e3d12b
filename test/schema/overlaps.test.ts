// OVERLAPS as PostgreSQL 13 prints it (the function call, every argument's cast shown) against
// its node tree, which tells the casts the parser added from those the user wrote. The text and
// tree below were read from a 13 server for `check ((ts::timestamptz, ts) overlaps (ts, ts))`
// on a timestamp column: the first cast is the user's, the other three the parser's.
import { describe, expect, it } from "vitest";
import { canonicalOverlaps, overlapsCalls } from "../../audit/schema/overlaps.ts";

const cast = (format: number, location: number) =>
  `{FUNCEXPR :funcid 2028 :funcresulttype 1184 :funcretset false :funcvariadic false :funcformat ${format} :funccollid 0 :inputcollid 0 :args ({VAR :varno 1 :varattno 4 :vartype 1114 :vartypmod -1 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 4 :location ${location}}) :location -1}`;
const TREE = `{FUNCEXPR :funcid 1304 :funcresulttype 16 :funcretset false :funcvariadic false :funcformat 0 :funccollid 0 :inputcollid 0 :args (${cast(1, 217)} ${cast(2, 234)} ${cast(2, 248)} ${cast(2, 252)}) :location 238}`;
const ON_13 = `CHECK ("overlaps"((ts)::timestamp with time zone, (ts)::timestamp with time zone, (ts)::timestamp with time zone, (ts)::timestamp with time zone))`;
// What 14+ prints for the same DDL.
const ON_14 = `CHECK ((((ts)::timestamp with time zone, ts) OVERLAPS (ts, ts)))`;

describe("OVERLAPS across majors", () => {
  it("reads which arguments carry the parser's casts", () => {
    expect(overlapsCalls(TREE)).toEqual([{ format: 0, implicit: [false, true, true, true] }]);
  });

  it("prints 13's call as 14+ prints the special form, keeping the user's cast", () => {
    expect(canonicalOverlaps(ON_13, [TREE])).toBe(ON_14);
  });

  it("leaves 14+'s special form as it is", () => {
    expect(canonicalOverlaps(ON_14, [TREE.replace(":funcformat 0", ":funcformat 3")])).toBe(ON_14);
  });

  it.each([
    ["without a tree", ON_13, [null]],
    ["when the trees hold fewer calls than the text", `${ON_13} AND ${ON_13}`, [TREE]],
    [
      "when an argument the tree says was cast is not printed as a cast",
      ON_13.replace(
        "(ts)::timestamp with time zone, (ts)::timestamp with time zone))",
        "(ts)::timestamp with time zone, ts))",
      ),
      [TREE],
    ],
    ["for a schema-qualified user function", `CHECK (app."overlaps"(a, b, c, d))`, [TREE]],
    ["inside a string literal", `CHECK ((x <> '"overlaps"(a, b, c, d)'::text))`, [TREE]],
  ])("leaves the text as printed %s", (_what, text, trees) => {
    expect(canonicalOverlaps(text, trees)).toBe(text);
  });
});
