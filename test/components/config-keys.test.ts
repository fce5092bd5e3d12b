// The declared key set and the per-tier checks, as tables.
import { describe, expect, it } from "vitest";
import {
  type ConfigKeySet,
  compareKeys,
  findProductionEndpoints,
  validateConfigValues,
  validateKeySet,
} from "../../components/config-keys.ts";

const KEYS: ConfigKeySet = {
  "payments-api-url": { description: "PayPal API", external: { production: ["api-m.paypal.com"] } },
  "payments-secret": { description: "PayPal secret", secret: true, external: { production: ["live_"] } },
  "feature-flags": { description: "flags" },
};

describe.each([
  [{ "payments-api-url": "a", "payments-secret": "b", "feature-flags": "c" }, [], []],
  [{ "payments-api-url": "a" }, ["feature-flags", "payments-secret"], []],
  [{ "payments-api-url": "a", "payments-secret": "b", "feature-flags": "c", extra: "d" }, [], ["extra"]],
  [{ "payments-api-url": "a", "payments-secret": "b", "feature-flags": undefined }, ["feature-flags"], []],
  [{}, ["feature-flags", "payments-api-url", "payments-secret"], []],
])("compareKeys(%j)", (given, missing, undeclared) => {
  it(`missing ${JSON.stringify(missing)}, undeclared ${JSON.stringify(undeclared)}`, () => {
    expect(compareKeys(KEYS, given)).toEqual({ missing, undeclared });
  });
});

describe("validateConfigValues", () => {
  it("names every missing and undeclared key in its message", () => {
    expect(validateConfigValues(KEYS, { "payments-api-url": "x", typo: "y" }, "staging")).toEqual([
      "staging is missing config keys: feature-flags, payments-secret",
      "staging sets config keys that are not declared: typo",
    ]);
  });
  it("is quiet when the set is complete", () => {
    expect(
      validateConfigValues(
        KEYS,
        { "payments-api-url": "a", "payments-secret": "b", "feature-flags": "c" },
        "x",
      ),
    ).toEqual([]);
  });
});

describe.each([
  ["https://api-m.sandbox.paypal.com", []],
  [
    "https://API-M.PAYPAL.COM/v2",
    [
      'payments-api-url: "https://API-M.PAYPAL.COM/v2" points at production ("api-m.paypal.com"); non-production tiers use a sandbox',
    ],
  ],
  [
    " https://api-m.paypal.com",
    [
      'payments-api-url: " https://api-m.paypal.com" points at production ("api-m.paypal.com"); non-production tiers use a sandbox',
    ],
  ],
])("findProductionEndpoints for payments-api-url = %j", (value, problems) => {
  it(`finds ${problems.length} problem(s)`, () => {
    expect(findProductionEndpoints(KEYS, { "payments-api-url": value })).toEqual(problems);
  });
});

describe("findProductionEndpoints with secrets", () => {
  it("never prints a secret value", () => {
    const problems = findProductionEndpoints(
      KEYS,
      { "payments-secret": "live_abc123" },
      new Set(["payments-secret"]),
    );
    expect(problems).toEqual([
      'payments-secret: (secret value) points at production ("live_"); non-production tiers use a sandbox',
    ]);
    expect(problems.join()).not.toContain("abc123");
  });
  it("ignores keys that are not external", () => {
    expect(findProductionEndpoints(KEYS, { "feature-flags": "api-m.paypal.com" })).toEqual([]);
  });
});

describe.each([
  [{ ok: { description: "fine" } }, []],
  [{ "Bad Key": { description: "x" } }, ["Bad Key: key names are lowercase letters, digits, '_', '.', '-'"]],
  [
    { "database-host": { description: "x" } },
    ["database-host: reserved, the component writes it from the database it builds"],
  ],
  [{ nodesc: { description: " " } }, ["nodesc: needs a description"]],
  [
    { ext: { description: "x", external: { production: [] } } },
    ["ext: external keys list production's values, so non-production tiers can be kept off them"],
  ],
] as [ConfigKeySet, string[]][])("validateKeySet(%j)", (keys, problems) => {
  it(`reports ${problems.length} problem(s)`, () => expect(validateKeySet(keys)).toEqual(problems));
});
