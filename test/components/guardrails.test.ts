// Guardrails as tables: each case is a real mistake (or a legitimate setup that must stay quiet).
import { describe, expect, it } from "vitest";
import {
  checkProductionReferences,
  checkProtections,
  type ProductionFootprint,
  resolvedValueProblems,
} from "../../components/guardrails.ts";
import { resolveTierSettings, TIER_SETTINGS, type TierSettings } from "../../components/tiers.ts";

describe.each([
  ["production defaults", "production", {}, true, []],
  ["staging defaults", "staging", {}, true, []],
  ["preview defaults", "preview", {}, true, []],
  [
    "production without deletion protection",
    "production",
    { deletionProtection: false },
    true,
    ["production: deletionProtection must stay on"],
  ],
  [
    "production skipping the final snapshot",
    "production",
    { skipFinalSnapshot: true },
    true,
    ["production: skipFinalSnapshot must stay off (a final snapshot is taken on delete)"],
  ],
  [
    "production with 6 days of backups",
    "production",
    { backupRetentionDays: 6 },
    true,
    ["production: backupRetentionDays is 6, needs at least 7"],
  ],
  ["production with exactly 7 days", "production", { backupRetentionDays: 7 }, true, []],
  ["production unencrypted", "production", {}, false, ["production: storage encryption must stay on"]],
  [
    "production as a clone",
    "production",
    { data: "production" },
    true,
    ['production: data must be "fresh"; production is never a clone'],
  ],
  [
    "a public preview",
    "preview",
    { publiclyAccessible: true },
    true,
    ["preview: publiclyAccessible must stay off; a copy of production's data is never public"],
  ],
  [
    "a public staging (a masked copy of production is still production's data)",
    "staging",
    { publiclyAccessible: true },
    true,
    ["staging: publiclyAccessible must stay off; a copy of production's data is never public"],
  ],
  ["a public production (its own choice)", "production", { publiclyAccessible: true }, true, []],
  [
    "staging with empty data",
    "staging",
    { data: "fresh" },
    true,
    ['staging: data must come from production ("production"), that is what keeps staging honest'],
  ],
  [
    "staging with 40 days of backups",
    "staging",
    { backupRetentionDays: 40 },
    true,
    ["staging: backupRetentionDays must be between 1 and 35 (got 40)"],
  ],
] as [string, "production" | "staging" | "preview", Partial<TierSettings>, boolean, string[]][])(
  "checkProtections: %s",
  (_label, tier, overrides, storageEncrypted, problems) => {
    it(problems.length === 0 ? "passes" : "is rejected", () => {
      expect(
        checkProtections({ tier, settings: resolveTierSettings(tier, overrides), storageEncrypted }),
      ).toEqual(problems);
    });
  },
);

const PRODUCTION: ProductionFootprint = {
  databaseIdentifier: "shop-production",
  ssmPath: "/shop/production/",
  secretPrefixes: ["shop/production/", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-prod"],
};

describe.each([
  ["a clean staging", "shop-staging", "/shop/staging/", {}, [], []],
  [
    "staging taking over production's database",
    "shop-production",
    "/shop/staging/",
    {},
    [],
    ['staging: database identifier "shop-production" is production\'s'],
  ],
  [
    "staging writing under production's path",
    "shop-staging",
    "/shop/production/staging/",
    {},
    [],
    ['staging: SSM path "/shop/production/staging/" overlaps production\'s "/shop/production/"'],
  ],
  [
    "a value reading a production parameter",
    "shop-staging",
    "/shop/staging/",
    { "feature-flags": "{{resolve:ssm:/shop/production/flags}}" },
    [],
    [
      'staging: config key feature-flags "{{resolve:ssm:/shop/production/flags}}" references production\'s parameter path ("/shop/production/")',
    ],
  ],
  [
    "a DSN naming production's database",
    "shop-staging",
    "/shop/staging/",
    { "report-dsn": "postgres://ro@shop-production.abc.rds.amazonaws.com/shop" },
    [],
    [
      'staging: config key report-dsn "postgres://ro@shop-production.abc.rds.amazonaws.com/shop" references production\'s database ("shop-production")',
    ],
  ],
  [
    "a masking key read from a production secret",
    "shop-staging",
    "/shop/staging/",
    {},
    ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-prod-masking"],
    [
      'staging: reference "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-prod-masking" references a production secret ("arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-prod")',
    ],
  ],
  ["a masking key from a shared path", "shop-staging", "/shop/staging/", {}, ["/shop/masking/key"], []],
] as [string, string, string, Record<string, string>, string[], string[]][])(
  "checkProductionReferences: %s",
  (_label, databaseIdentifier, ssmPath, plainValues, references, problems) => {
    it(problems.length === 0 ? "passes" : "is rejected", () => {
      expect(
        checkProductionReferences(
          { tier: "staging", databaseIdentifier, ssmPath, plainValues, references },
          PRODUCTION,
        ),
      ).toEqual(problems);
    });
  },
);

describe("resolvedValueProblems (values known only at deploy time)", () => {
  const keys = {
    "payments-secret": { description: "x", secret: true },
    "payments-api-url": { description: "x", external: { production: ["api-m.paypal.com"] } },
  };
  it.each([
    [
      "payments-secret",
      "shop/production/paypal",
      [
        'preview: config key payments-secret (secret value) references a production secret ("shop/production/")',
      ],
    ],
    ["payments-secret", "sandbox-secret", []],
    [
      "payments-api-url",
      "https://api-m.paypal.com",
      [
        'preview: config key payments-api-url: "https://api-m.paypal.com" points at production ("api-m.paypal.com"); non-production tiers use a sandbox',
      ],
    ],
  ])("%s = %j", (key, value, problems) => {
    expect(resolvedValueProblems("preview", keys, PRODUCTION, key, value)).toEqual(problems);
  });
  it("never checks production's own values", () => {
    expect(
      resolvedValueProblems("production", keys, PRODUCTION, "payments-api-url", "https://api-m.paypal.com"),
    ).toEqual([]);
  });
});

it("the declared tier table itself passes the guardrails", () => {
  for (const tier of ["production", "staging", "preview"] as const) {
    expect(checkProtections({ tier, settings: TIER_SETTINGS[tier], storageEncrypted: true })).toEqual([]);
  }
});
