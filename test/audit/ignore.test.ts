import { describe, expect, it } from "vitest";
import { makeFinding } from "../../audit/core/finding.ts";
import { applyIgnoreList, IGNORE_RULES, matchesPattern } from "../../audit/drift/runner/index.ts";
import type { IgnoreEntry } from "../../audit/parity-config/types.ts";

const finding = (ruleId: string, object: string, environment = "staging") =>
  makeFinding({ ruleId, severity: "error", message: "m", environment, objectType: "x", object });

const entry = (partial: Partial<IgnoreEntry> & { rule: string; object: string }, index = 0): IgnoreEntry => ({
  index,
  reason: "intentional",
  ...partial,
});

const NOW = new Date("2026-11-21T12:00:00Z");

describe("ignore patterns", () => {
  it.each([
    ["public.orders", "public.orders", true],
    ["public.orders", "public.orders_archive", false],
    ["public.orders*", "public.orders_archive", true],
    ["public.*.email", "public.customers.email", true],
    ["public.*.email", "public.customers.email_verified", false],
    ["/shop/*/FEATURE_?", "/shop/staging/FEATURE_X", true],
    ["/shop/*/FEATURE_?", "/shop/staging/FEATURE_XY", false],
    ["rds/*", "rds/instance-class", true],
    ["a.b", "aXb", false],
    ["(x)+[y]", "(x)+[y]", true],
  ])("%s vs %s → %s", (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });
});

describe("applyIgnoreList", () => {
  it("hides matching findings by rule, object and environment", () => {
    const findings = [
      finding("rds/instance-class", "shop-staging"),
      finding("rds/instance-class", "shop-preview", "preview"),
      finding("schema/index-missing", "public.orders_created_idx"),
    ];
    const outcome = applyIgnoreList(
      findings,
      [entry({ rule: "rds/instance-*", object: "shop-*", environment: "staging" })],
      { now: NOW, environments: ["production", "staging", "preview"] },
    );
    expect(outcome.ignored.map((i) => i.finding)).toEqual([findings[0]]);
    expect(outcome.reported).toEqual([findings[1], findings[2]]);
    expect(outcome.listFindings).toEqual([]);
  });

  it("an entry is active through its until day, and expired the day after", () => {
    const findings = [finding("rds/instance-class", "shop-staging")];
    const entries = [entry({ rule: "rds/instance-class", object: "shop-staging", until: "2026-11-21" })];
    const onTheDay = applyIgnoreList(findings, entries, { now: NOW, environments: ["staging"] });
    expect(onTheDay.reported).toEqual([]);
    expect(onTheDay.listFindings).toEqual([]);

    const dayAfter = applyIgnoreList(findings, entries, {
      now: new Date("2026-11-22T00:00:01Z"),
      environments: ["staging"],
    });
    // The hidden finding is back, and the expired entry is itself reported.
    expect(dayAfter.reported).toEqual(findings);
    expect(dayAfter.ignored).toEqual([]);
    expect(dayAfter.listFindings).toHaveLength(1);
    expect(dayAfter.listFindings[0]).toMatchObject({
      ruleId: IGNORE_RULES.expired,
      severity: "warning",
      location: { objectType: "ignore-entry", object: "ignore[0] rds/instance-class shop-staging" },
      actual: "2026-11-21",
    });
    expect(dayAfter.listFindings[0]?.message).toMatch(/expired on 2026-11-21.*reason was: intentional/);
  });

  it("reports entries that hid nothing as warnings, but not entries for environments not in this run", () => {
    const outcome = applyIgnoreList(
      [finding("schema/column-extra", "public.orders.note")],
      [
        entry({ rule: "schema/column-extra", object: "public.orders.note" }, 0),
        entry({ rule: "schema/column-extra", object: "public.customers.*" }, 1),
        entry({ rule: "schema/*", object: "*", environment: "preview-*" }, 2),
      ],
      { now: NOW, environments: ["production", "staging"] },
    );
    expect(outcome.reported).toEqual([]);
    expect(outcome.listFindings).toEqual([
      expect.objectContaining({
        ruleId: IGNORE_RULES.unused,
        severity: "warning",
        location: {
          environment: "(all environments)",
          objectType: "ignore-entry",
          object: "ignore[1] schema/column-extra public.customers.*",
        },
      }),
    ]);
  });

  it("the first matching entry takes the finding; a later overlapping entry counts as unused", () => {
    const findings = [finding("a/b", "x")];
    const outcome = applyIgnoreList(
      findings,
      [entry({ rule: "a/*", object: "x" }, 0), entry({ rule: "a/b", object: "*" }, 1)],
      { now: NOW, environments: ["staging"] },
    );
    expect(outcome.ignored[0]?.entry.index).toBe(0);
    expect(outcome.listFindings.map((f) => f.location.object)).toEqual(["ignore[1] a/b *"]);
  });
});
