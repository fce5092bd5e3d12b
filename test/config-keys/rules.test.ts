// The config rules as tables of valid and invalid key-set pairs (test/support/rule-tester.ts), the
// production markers behind config/points-at-production, and the check that runs them all.
import { describe, expect, it } from "vitest";
import {
  type ConfigKey,
  type ConfigSnapshot,
  configKeysCheck,
  productionMarkers,
  referencesIn,
} from "../../audit/drift/checks/config-keys/index.ts";
import type { ConfigKeysRuleContext } from "../../audit/drift/checks/config-keys/types.ts";
import { extraKey } from "../../audit/drift/rules/config/extra-key.ts";
import { missingKey } from "../../audit/drift/rules/config/missing-key.ts";
import { pointsAtProduction } from "../../audit/drift/rules/config/points-at-production.ts";
import { typeMismatch } from "../../audit/drift/rules/config/type-mismatch.ts";
import { type ExpectedFinding, testRule } from "../support/rule-tester.ts";

type KeySpec = [key: string, type: ConfigKey["type"], value?: string];

function snapshot(environment: string, keys: KeySpec[]): ConfigSnapshot {
  return {
    environment,
    source: "ssm",
    location: `/shop/${environment}/`,
    keys: keys.map(([key, type, value]) => ({
      key,
      name: `/shop/${environment}/${key}`,
      type,
      ...(value !== undefined ? { value } : {}),
    })),
  };
}

/** production's keys against staging's. */
function pair(baseline: KeySpec[], target: KeySpec[]): ConfigKeysRuleContext {
  return {
    baseline: snapshot("production", baseline),
    target: snapshot("staging", target),
    environments: { baseline: "production", target: "staging" },
  };
}

describe("rule registry", () => {
  it("the check declares its rules, sorted, with the documented severities", () => {
    expect(configKeysCheck.rules?.map((r) => [r.id, r.defaultSeverity])).toEqual([
      ["config/extra-key", "warning"],
      ["config/missing-key", "error"],
      ["config/points-at-production", "error"],
      ["config/type-mismatch", "error"],
    ]);
  });
});

const missing = (key: string, type: string): ExpectedFinding => ({
  messageId: "missing",
  severity: "error",
  environment: "staging",
  objectType: "config-key",
  object: key,
  expected: { type },
});

testRule(missingKey, {
  valid: [
    {
      name: "identical sets (values may differ)",
      context: pair([["a", "String", "1"]], [["a", "String", "2"]]),
    },
    {
      name: "extra keys are not missing ones",
      context: pair(
        [["a", "String"]],
        [
          ["a", "String"],
          ["z", "String"],
        ],
      ),
    },
  ],
  invalid: [
    {
      name: "one missing",
      context: pair(
        [
          ["a", "String"],
          ["b", "SecureString"],
        ],
        [["a", "String"]],
      ),
      findings: [missing("b", "SecureString")],
    },
    {
      name: "all missing, in key order",
      context: pair(
        [
          ["a", "String"],
          ["b", "String"],
        ],
        [],
      ),
      findings: [missing("a", "String"), missing("b", "String")],
    },
    {
      name: "names both environments and the baseline's full name",
      context: pair([["stripe/key", "SecureString"]], []),
      findings: [
        {
          ...missing("stripe/key", "SecureString"),
          message:
            'Config key "stripe/key" (SecureString) is in production (/shop/production/stripe/key) but missing from staging (/shop/staging/)',
        },
      ],
    },
  ],
});

testRule(extraKey, {
  valid: [{ name: "none", context: pair([["a", "String"]], [["a", "String"]]) }],
  invalid: [
    {
      name: "one extra",
      context: pair(
        [["a", "String"]],
        [
          ["a", "String"],
          ["legacy/url", "String", "https://old.example.com"],
        ],
      ),
      findings: [
        {
          messageId: "extra",
          message:
            'Config key "legacy/url" (String) is in staging (/shop/staging/legacy/url) but not in production (/shop/production/)',
          severity: "warning",
          objectType: "config-key",
          object: "legacy/url",
          actual: { type: "String" },
        },
      ],
    },
  ],
});

const mismatch = (messageId: string, key: string, expected: string, actual: string): ExpectedFinding => ({
  messageId,
  data: { key, expected, baseline: "production", actual, target: "staging" },
  severity: "error",
  object: key,
  expected: { type: expected },
  actual: { type: actual },
});

testRule(typeMismatch, {
  valid: [
    { name: "same types", context: pair([["a", "SecureString"]], [["a", "SecureString"]]) },
    { name: "missing keys are not type mismatches", context: pair([["a", "String"]], []) },
  ],
  invalid: [
    {
      name: "a secret stored as String, its plain value never in the finding",
      context: pair([["a", "SecureString"]], [["a", "String", "sk_live_LEAKED"]]),
      findings: [
        {
          ...mismatch("secretInPlainText", "a", "SecureString", "String"),
          message:
            'Config key "a" is SecureString in production but String in staging (a secret stored in plain text in staging)',
        },
      ],
    },
    {
      name: "String became SecureString",
      context: pair([["a", "String", "x"]], [["a", "SecureString"]]),
      findings: [mismatch("secretInTarget", "a", "String", "SecureString")],
    },
    {
      name: "StringList vs String",
      context: pair([["a", "StringList", "x,y"]], [["a", "String", "x,y"]]),
      findings: [mismatch("mismatch", "a", "StringList", "String")],
    },
  ],
});

it("config/type-mismatch never puts the plain value of a downgraded secret into the finding", () => {
  const findings = typeMismatch.check(pair([["a", "SecureString"]], [["a", "String", "sk_live_LEAKED"]]));
  expect(JSON.stringify(findings)).not.toContain("sk_live_LEAKED");
});

describe("config/points-at-production", () => {
  const prodDb = "shop-prod.cluster-c9akciq32.us-east-1.rds.amazonaws.com";
  const stagingDb = "shop-staging.cluster-d81jfh2k1.us-east-1.rds.amazonaws.com";
  const baseline: KeySpec[] = [
    ["db/url", "String", `postgres://app:prodpass@${prodDb}:5432/shop`],
    ["db/host", "String", prodDb],
    ["api/url", "String", "https://api.shop.example.com/v2"],
    ["app/base-url", "String", "https://shop.example.com"],
    ["payments/api", "String", "https://api.stripe.com"],
    ["events/topic", "String", "arn:aws:sns:us-east-1:111111111111:events-production"],
    ["kms/shared", "String", "arn:aws:kms:us-east-1:333333333333:key/shared"],
    ["cache/url", "String", "redis://localhost:6379"],
    ["secret/token", "SecureString"],
  ];
  const cleanTarget: KeySpec[] = [
    ["db/url", "String", `postgres://app:stagingpass@${stagingDb}:5432/shop`],
    ["db/host", "String", stagingDb],
    ["api/url", "String", "https://api.staging.shop.example.com/v2"],
    ["app/base-url", "String", "https://staging.shop.example.com"],
    ["payments/api", "String", "https://api.stripe.com"],
    ["events/topic", "String", "arn:aws:sns:us-east-1:222222222222:events-staging"],
    ["kms/shared", "String", "arn:aws:kms:us-east-1:333333333333:key/shared"],
    ["cache/url", "String", "redis://localhost:6379"],
  ];
  const replace = (key: string, value: string): KeySpec[] =>
    cleanTarget.map(([k, t, v]) => (k === key ? [k, t, value] : [k, t, v]));

  const pointsAt = (key: string, markers: Array<[kind: string, marker: string]>): ExpectedFinding => ({
    messageId: "pointsAt",
    severity: "error",
    objectType: "config-key",
    object: key,
    actual: markers.map(([kind, marker]) => ({ kind, marker })),
  });

  testRule(pointsAtProduction, {
    valid: [
      { name: "a clean staging", context: pair(baseline, cleanTarget) },
      {
        name: "a host used verbatim by both, with no sign it is per-environment, counts as shared",
        context: pair(
          [["api", "String", "https://api.partner.example.org"]],
          [["api", "String", "https://api.partner.example.org"]],
        ),
      },
      {
        name: "SecureString values, which it never has",
        context: pair(baseline, [["secret/token", "SecureString"]]),
      },
    ],
    invalid: [
      {
        name: "staging DB URL on production's cluster; the message names key and marker, never the value",
        context: pair(baseline, replace("db/url", `postgres://app:hunter2@${prodDb}/shop`)),
        findings: [
          {
            ...pointsAt("db/url", [["database-endpoint", prodDb]]),
            message: `Config key "db/url" in staging points at production: its value contains production's database endpoint ${prodDb} (as in production key "db/url")`,
          },
        ],
      },
      {
        name: "same DB host as production under the same key",
        context: pair(baseline, replace("db/host", prodDb)),
        findings: [pointsAt("db/host", [["database-endpoint", prodDb]])],
      },
      {
        name: "production API host under the same key",
        context: pair(baseline, replace("api/url", "https://api.shop.example.com/v2")),
        findings: [pointsAt("api/url", [["hostname", "api.shop.example.com"]])],
      },
      {
        name: "production hostname in another key",
        context: pair(baseline, [
          ...cleanTarget,
          ["webhook/url", "String", "https://api.shop.example.com/hooks"],
        ]),
        findings: [pointsAt("webhook/url", [["hostname", "api.shop.example.com"]])],
      },
      {
        name: "production ARN (and so its account)",
        context: pair(
          baseline,
          replace("events/topic", "arn:aws:sns:us-east-1:111111111111:events-production"),
        ),
        findings: [
          pointsAt("events/topic", [
            ["arn", "arn:aws:sns:us-east-1:111111111111:events-production"],
            ["account-id", "111111111111"],
          ]),
        ],
      },
      {
        name: "another resource in production's account",
        context: pair(baseline, [
          ...cleanTarget,
          ["audit/bucket", "String", "arn:aws:s3:::x"],
          ["jobs/queue", "String", "arn:aws:sqs:us-east-1:111111111111:jobs"],
        ]),
        findings: [pointsAt("jobs/queue", [["account-id", "111111111111"]])],
      },
      {
        name: "a shared host whose name says production is still a marker",
        context: pair(
          [["search", "String", "https://search-prod.example.net"]],
          [["search", "String", "https://search-prod.example.net"]],
        ),
        findings: [pointsAt("search", [["hostname", "search-prod.example.net"]])],
      },
      {
        name: "an account shared by both environments is not a marker; the exact production ARN still is",
        context: pair(
          [["topic", "String", "arn:aws:sns:us-east-1:444444444444:events-production"]],
          [
            ["topic", "String", "arn:aws:sns:us-east-1:444444444444:events-staging"],
            ["other", "String", "arn:aws:sns:us-east-1:444444444444:events-production"],
          ],
        ),
        findings: [pointsAt("other", [["arn", "arn:aws:sns:us-east-1:444444444444:events-production"]])],
      },
    ],
  });

  it("treats shared third-party hosts, shared ARNs and localhost as shared, not production", () => {
    const markers = productionMarkers(snapshot("production", baseline), snapshot("staging", cleanTarget));
    const names = markers.map((m) => m.marker);
    expect(names).not.toContain("api.stripe.com");
    expect(names).not.toContain("arn:aws:kms:us-east-1:333333333333:key/shared");
    expect(names).not.toContain("localhost");
    expect(names).toContain(prodDb);
    expect(names).toContain("111111111111");
  });

  it("never puts the value (credentials in URLs) into a finding", () => {
    const findings = pointsAtProduction.check(
      pair(baseline, replace("db/url", `postgres://app:hunter2@${prodDb}/shop`)),
    );
    expect(findings).toHaveLength(1);
    const json = JSON.stringify(findings);
    expect(json).not.toContain("hunter2");
    expect(json).not.toContain("prodpass");
  });

  it.each([
    [
      "a URL with credentials",
      "postgres://u:p@db.prod.example.com:5432/x?ssl=1",
      ["db.prod.example.com"],
      [],
      [],
    ],
    [
      "a bare AWS endpoint inside text",
      "host=x.cluster-abc.eu-west-1.rds.amazonaws.com port=5432",
      ["x.cluster-abc.eu-west-1.rds.amazonaws.com"],
      [],
      [],
    ],
    ["a whole-value hostname", "db.internal.example.com", ["db.internal.example.com"], [], []],
    ["dotted words inside text are not hosts", "see config.yaml and app.main", [], [], []],
    ["localhost and docker names are not hosts", "redis://localhost:6379 http://db:5432", [], [], []],
    [
      "ARNs in JSON and lists, with their accounts",
      '["arn:aws:sns:us-east-1:111111111111:a"],(arn:aws:s3:::bucket/key)',
      [],
      ["arn:aws:sns:us-east-1:111111111111:a", "arn:aws:s3:::bucket/key"],
      ["111111111111"],
    ],
    [
      "a JWT-like secret yields nothing",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpM",
      [],
      [],
      [],
    ],
  ])("referencesIn: %s", (_name, value, hosts, arns, accounts) => {
    const refs = referencesIn(value);
    expect([[...refs.hosts], [...refs.arns], [...refs.accounts]]).toEqual([hosts, arns, accounts]);
  });
});

describe("configKeysCheck.compare", () => {
  it("runs every rule and sorts findings", () => {
    const findings = configKeysCheck.compare(
      snapshot("production", [
        ["a", "String", "1"],
        ["b", "SecureString"],
        ["c", "String", "x"],
      ]),
      snapshot("staging", [
        ["b", "String", "oops"],
        ["c", "String", "x"],
        ["d", "String", "y"],
      ]),
      { baseline: "production", target: "staging" },
    );
    expect(findings.map((f) => `${f.ruleId} ${f.location.object}`)).toEqual([
      "config/extra-key d",
      "config/missing-key a",
      "config/type-mismatch b",
    ]);
  });
});
