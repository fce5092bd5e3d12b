// Canonical JSON: the bytes a record's hash is taken over, so they must not depend on key order,
// whitespace or how the value was built; and what JSON cannot say exactly is refused.
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../audit/promote/record/canonical-json.ts";

describe("canonicalJson", () => {
  it.each([
    ["sorted keys, no whitespace", { b: 1, a: [true, null, "x"] }, '{"a":[true,null,"x"],"b":1}'],
    ["nested objects sorted too", { z: { y: 1, x: 2 }, a: {} }, '{"a":{},"z":{"x":2,"y":1}}'],
    // RFC 8785 §3.2.3 orders by UTF-16 code units: "\u20ac" (€) sorts after "\r" and before "\ud83d…".
    ["UTF-16 key order", { "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, "1": 4 }, '{"\\r":2,"1":4,"€":1,"😀":3}'],
    ["ECMAScript numbers (JCS)", [1e21, 0.000001, 1e-7, -0, 10.5], "[1e+21,0.000001,1e-7,0,10.5]"],
    ["string escapes", ['\u0000\n"\\'], '["\\u0000\\n\\"\\\\"]'],
    ["undefined properties left out", { a: undefined, b: 2 }, '{"b":2}'],
  ])("%s", (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it("gives the same text whatever the key insertion order", () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it.each([
    ["NaN", { a: Number.NaN }, /\$\.a is NaN/],
    ["Infinity", [Number.POSITIVE_INFINITY], /\$\[0\] is Infinity/],
    ["undefined in an array", [1, undefined], /\$\[1\] is undefined/],
    ["a function", { f: () => 1 }, /\$\.f is function/],
    ["a bigint", { n: 1n }, /\$\.n is bigint/],
    ["a Date", { at: new Date(0) }, /\$\.at is a Date object/],
    ["a lone surrogate", { s: "\ud800" }, /\$\.s has a lone surrogate/],
  ])("refuses %s", (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });
});

describe("sha256Hex", () => {
  it("is SHA-256 of the UTF-8 bytes (FIPS 180-2 test vector)", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // "€" is three UTF-8 bytes (e2 82 ac); a latin1 or UTF-16 hash would differ.
    expect(sha256Hex("€")).toBe("c4cc90ed3d26f12d4b08a75140970a7904035c31cbb4515a83f19b9003c00d1d");
  });
});
