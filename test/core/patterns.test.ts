import { describe, expect, it } from "vitest";
import { makeFilter, matchesPattern } from "../../audit/core/patterns.ts";

describe("matchesPattern", () => {
  it.each([
    ["public.orders_*", "public.orders_2026", true],
    ["public.orders_*", "publicXorders_2026", false], // `.` is literal
    ["/shop/*/FEATURE_X", "/shop/staging/eu/FEATURE_X", true], // `*` crosses slashes
    ["schema/?issing", "schema/missing", true],
    ["schema/?issing", "schema/mmissing", false],
    ["f(x)+[y]", "f(x)+[y]", true], // regex metacharacters are literal
    ["*", "multi\nline", true],
  ])("%j against %j is %s", (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });
});

describe("makeFilter", () => {
  it("keeps an object when its schema is in and neither it nor its relation is excluded", () => {
    const filter = makeFilter({ schemas: ["app*"], excludeObjects: ["app.audit_*"] });
    expect(filter.schema("app")).toBe(true);
    expect(filter.schema("public")).toBe(false);
    expect(filter.object(["app.orders.email", "app.orders"])).toBe(true);
    expect(filter.object(["app.audit_log.at", "app.audit_log"])).toBe(false);
  });

  it("rejects an empty pattern, naming the list and position", () => {
    expect(() => makeFilter({ excludeSchemas: ["tmp", " "] })).toThrow(
      /excludeSchemas\[1\]: a pattern must be a non-empty string/,
    );
  });
});
