// The seed story end to end, through the real SDK and the loopback server: production has 63 keys,
// staging 47, and the audit reports exactly the 16 staging lacks — and nothing else, and no secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigSnapshot, createConfigKeysCheck } from "../../audit/drift/checks/config-keys/index.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { fakeCiphertext } from "../aws-server/ssm.ts";
import { SEED_MISSING_IN_STAGING, seedParameters, seedSecrets } from "./seed.ts";

const environments = { baseline: "production", target: "staging" };
let server: AwsTestServer;
let production: ConfigSnapshot;
let staging: ConfigSnapshot;

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({ ssm: [...seedParameters("production"), ...seedParameters("staging")] });
  const check = createConfigKeysCheck({ aws: { endpoint: server.url, retry: FAST_RETRY } });
  [production, staging] = await Promise.all([
    check.read({ ssm: { path: "/shop/production/" } }, { environment: "production", configDir: "." }),
    check.read({ ssm: { path: "/shop/staging/" } }, { environment: "staging", configDir: "." }),
  ]);
});
afterAll(() => server.close());

describe("seed story", () => {
  it("reads 63 production keys and 47 staging keys", () => {
    expect(production.keys).toHaveLength(63);
    expect(staging.keys).toHaveLength(47);
  });

  it("reports exactly the 16 missing keys, as errors, and nothing else", () => {
    const check = createConfigKeysCheck();
    const findings = check.compare(production, staging, environments);
    expect(findings.map((f) => f.ruleId)).toEqual(Array(16).fill("config/missing-key"));
    expect(findings.map((f) => f.location.object)).toEqual(SEED_MISSING_IN_STAGING);
    expect(findings.every((f) => f.severity === "error" && f.location.environment === "staging")).toBe(true);
  });

  it("catches a staging value that points at production, naming the marker", () => {
    const pointed: ConfigSnapshot = {
      ...staging,
      keys: staging.keys.map((k) =>
        k.key === "db/host"
          ? { ...k, value: "shop-production.cluster-c9akciq32.us-east-1.rds.amazonaws.com" }
          : k.key === "queue/orders-dlq-arn"
            ? { ...k, value: "arn:aws:sqs:us-east-1:111111111111:orders-production-dlq" }
            : k,
      ),
    };
    const findings = createConfigKeysCheck()
      .compare(production, pointed, environments)
      .filter((f) => f.ruleId === "config/points-at-production");
    expect(findings.map((f) => [f.location.object, f.actual])).toEqual([
      [
        "db/host",
        [
          {
            kind: "database-endpoint",
            marker: "shop-production.cluster-c9akciq32.us-east-1.rds.amazonaws.com",
          },
        ],
      ],
      [
        "queue/orders-dlq-arn",
        [
          { kind: "arn", marker: "arn:aws:sqs:us-east-1:111111111111:orders-production-dlq" },
          { kind: "account-id", marker: "111111111111" },
        ],
      ],
    ]);
  });

  it("no secret value or its ciphertext appears in snapshots, findings or messages", () => {
    const findings = createConfigKeysCheck().compare(production, staging, environments);
    const everything = JSON.stringify({
      production,
      staging,
      findings,
      messages: findings.map((f) => f.message),
    });
    const secrets = seedSecrets();
    expect(secrets).toHaveLength(14); // 8 SecureStrings in production, 6 in staging
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(fakeCiphertext(secret));
    }
    // …because they were never asked for.
    expect(server.requests.some((r) => "WithDecryption" in r.params)).toBe(false);
  });
});
