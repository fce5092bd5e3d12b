import { describe, expect, it } from "vitest";
import {
  type ConfigKey,
  type ConfigSnapshot,
  configKeysCheck,
  configKeysRules,
  productionMarkers,
  referencesIn,
  rules,
} from "../../audit/drift/checks/config-keys/index.ts";

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

function run(ruleId: string, baseline: KeySpec[], target: KeySpec[]) {
  const rule = configKeysRules.find((r) => r.meta.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check({
    baseline: snapshot("production", baseline),
    target: snapshot("staging", target),
    environments: { baseline: "production", target: "staging" },
  });
}

const objects = (findings: ReturnType<typeof run>) => findings.map((f) => f.location.object);

describe("rule registry", () => {
  it("exports sorted, unique rule metadata with the documented severities", () => {
    expect(rules.map((r) => [r.id, r.defaultSeverity])).toEqual([
      ["config/extra-key", "warning"],
      ["config/missing-key", "error"],
      ["config/points-at-production", "error"],
      ["config/type-mismatch", "error"],
    ]);
  });
});

describe("config/missing-key", () => {
  it.each<[string, KeySpec[], KeySpec[], string[]]>([
    ["identical sets", [["a", "String", "1"]], [["a", "String", "2"]], []],
    [
      "one missing",
      [
        ["a", "String"],
        ["b", "SecureString"],
      ],
      [["a", "String"]],
      ["b"],
    ],
    [
      "all missing",
      [
        ["a", "String"],
        ["b", "String"],
      ],
      [],
      ["a", "b"],
    ],
    [
      "extra keys are not missing ones",
      [["a", "String"]],
      [
        ["a", "String"],
        ["z", "String"],
      ],
      [],
    ],
  ])("%s", (_name, baseline, target, expected) => {
    const findings = run("config/missing-key", baseline, target);
    expect(objects(findings)).toEqual(expected);
    for (const f of findings) {
      expect(f).toMatchObject({
        severity: "error",
        location: { environment: "staging", objectType: "config-key" },
      });
    }
  });

  it("names both environments and the baseline's full name", () => {
    const [finding] = run("config/missing-key", [["stripe/key", "SecureString"]], []);
    expect(finding?.message).toBe(
      'Config key "stripe/key" (SecureString) is in production (/shop/production/stripe/key) but missing from staging (/shop/staging/)',
    );
  });
});

describe("config/extra-key", () => {
  it.each<[string, KeySpec[], KeySpec[], string[]]>([
    ["none", [["a", "String"]], [["a", "String"]], []],
    [
      "one extra",
      [["a", "String"]],
      [
        ["a", "String"],
        ["legacy/url", "String", "https://old.example.com"],
      ],
      ["legacy/url"],
    ],
  ])("%s", (_name, baseline, target, expected) => {
    const findings = run("config/extra-key", baseline, target);
    expect(objects(findings)).toEqual(expected);
    for (const f of findings) expect(f.severity).toBe("warning");
  });
});

describe("config/type-mismatch", () => {
  it.each<[string, KeySpec[], KeySpec[], Array<[string, string, string]>]>([
    ["same types", [["a", "SecureString"]], [["a", "SecureString"]], []],
    [
      "secret stored as String",
      [["a", "SecureString"]],
      [["a", "String", "plaintext!"]],
      [["a", "SecureString", "String"]],
    ],
    [
      "String became SecureString",
      [["a", "String", "x"]],
      [["a", "SecureString"]],
      [["a", "String", "SecureString"]],
    ],
    [
      "StringList vs String",
      [["a", "StringList", "x,y"]],
      [["a", "String", "x,y"]],
      [["a", "StringList", "String"]],
    ],
    ["missing keys are not type mismatches", [["a", "String"]], [], []],
  ])("%s", (_name, baseline, target, expected) => {
    const findings = run("config/type-mismatch", baseline, target);
    expect(
      findings.map((f) => [
        f.location.object,
        (f.expected as { type: string }).type,
        (f.actual as { type: string }).type,
      ]),
    ).toEqual(expected);
    for (const f of findings) expect(f.severity).toBe("error");
  });

  it("never puts the plain value of a downgraded secret into the finding", () => {
    const findings = run(
      "config/type-mismatch",
      [["a", "SecureString"]],
      [["a", "String", "sk_live_LEAKED"]],
    );
    expect(JSON.stringify(findings)).not.toContain("sk_live_LEAKED");
    expect(findings[0]?.message).toContain("a secret stored in plain text in staging");
  });
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

  it.each<[string, KeySpec[], Array<[string, string[]]>]>([
    ["a clean staging", cleanTarget, []],
    [
      "staging DB URL on production's cluster",
      replace("db/url", `postgres://app:x@${prodDb}/shop`),
      [["db/url", [`database-endpoint ${prodDb}`]]],
    ],
    [
      "same DB host as production under the same key",
      replace("db/host", prodDb),
      [["db/host", [`database-endpoint ${prodDb}`]]],
    ],
    [
      "production API host under the same key",
      replace("api/url", "https://api.shop.example.com/v2"),
      [["api/url", ["hostname api.shop.example.com"]]],
    ],
    [
      "production hostname in another key",
      [...cleanTarget, ["webhook/url", "String", "https://api.shop.example.com/hooks"]],
      [["webhook/url", ["hostname api.shop.example.com"]]],
    ],
    [
      "production ARN (and so its account)",
      replace("events/topic", "arn:aws:sns:us-east-1:111111111111:events-production"),
      [
        [
          "events/topic",
          ["arn arn:aws:sns:us-east-1:111111111111:events-production", "account-id 111111111111"],
        ],
      ],
    ],
    [
      "another resource in production's account",
      [
        ...cleanTarget,
        ["audit/bucket", "String", "arn:aws:s3:::x"],
        ["jobs/queue", "String", "arn:aws:sqs:us-east-1:111111111111:jobs"],
      ],
      [["jobs/queue", ["account-id 111111111111"]]],
    ],
  ])("%s", (_name, target, expected) => {
    const findings = run("config/points-at-production", baseline, target);
    expect(
      findings.map((f) => [
        f.location.object,
        (f.actual as Array<{ kind: string; marker: string }>).map((m) => `${m.kind} ${m.marker}`),
      ]),
    ).toEqual(expected);
    for (const f of findings) expect(f.severity).toBe("error");
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

  it("a host used verbatim by both, with no sign it is per-environment, counts as shared", () => {
    const findings = run(
      "config/points-at-production",
      [["api", "String", "https://api.partner.example.org"]],
      [["api", "String", "https://api.partner.example.org"]],
    );
    expect(findings).toEqual([]);
  });

  it("a shared host whose name says production is still a marker", () => {
    const findings = run(
      "config/points-at-production",
      [["search", "String", "https://search-prod.example.net"]],
      [["search", "String", "https://search-prod.example.net"]],
    );
    expect(objects(findings)).toEqual(["search"]);
  });

  it("an account shared by both environments is not a marker; the exact production ARN still is", () => {
    const findings = run(
      "config/points-at-production",
      [["topic", "String", "arn:aws:sns:us-east-1:444444444444:events-production"]],
      [
        ["topic", "String", "arn:aws:sns:us-east-1:444444444444:events-staging"],
        ["other", "String", "arn:aws:sns:us-east-1:444444444444:events-production"],
      ],
    );
    expect(
      findings.map((f) => [f.location.object, (f.actual as Array<{ kind: string }>).map((m) => m.kind)]),
    ).toEqual([["other", ["arn"]]]);
  });

  it("messages name key and marker but never the value (credentials in URLs)", () => {
    const findings = run(
      "config/points-at-production",
      baseline,
      replace("db/url", `postgres://app:hunter2@${prodDb}/shop`),
    );
    expect(findings[0]?.message).toBe(
      `Config key "db/url" in staging points at production: its value contains production's database endpoint ${prodDb} (as in production key "db/url")`,
    );
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

  it("ignores SecureString values, which it never has", () => {
    expect(run("config/points-at-production", baseline, [["secret/token", "SecureString"]])).toEqual([]);
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
