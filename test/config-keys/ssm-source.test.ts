// The SSM source against the loopback server, through the real SDK client: paging, throttling
// storms, slow and failing environments, endpoint overrides, and secrets that never leave the server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReadContext } from "../../audit/core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import { createConfigKeysCheck } from "../../audit/drift/checks/config-keys/index.ts";
import { bursts, FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, type SsmParameterFixture, startAwsTestServer } from "../aws-server/server.ts";
import { fakeCiphertext } from "../aws-server/ssm.ts";
import { caught } from "./caught.ts";

const context = (environment: string): ReadContext => ({ environment, configDir: "/nonexistent" });

/** 350 keys in nested folders: 35+ pages at the service's maximum of 10 per page. */
function manyKeys(env: string, count: number): SsmParameterFixture[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `/big/${env}/service-${String(i % 7).padStart(2, "0")}/group-${i % 3}/key-${String(i).padStart(4, "0")}`,
    type:
      i % 10 === 0 ? ("SecureString" as const) : i % 10 === 1 ? ("StringList" as const) : ("String" as const),
    value: i % 10 === 0 ? `BIG-SECRET-${env}-${i}` : `value-${i}`,
  }));
}

let server: AwsTestServer;
const check = () => createConfigKeysCheck({ aws: { endpoint: server.url, retry: FAST_RETRY } });

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({
    ssm: [
      ...manyKeys("production", 350),
      ...manyKeys("staging", 340),
      { name: "/small/a", type: "String", value: "1" },
      { name: "/small/nested/b", type: "SecureString", value: "SMALL-SECRET" },
      { name: "/smaller/not-under-small", type: "String", value: "x" },
    ],
  });
});
afterEach(() => {
  server.faults.clear();
  server.requests.length = 0;
  delete process.env.AWS_ENDPOINT_URL_SSM;
  delete process.env.AWS_ENDPOINT_URL;
});
afterAll(() => server.close());

describe("reading SSM by path", () => {
  it("reads hundreds of keys across every page, recursively, and strips the path prefix", async () => {
    const snapshot = await check().read({ ssm: { path: "/big/production" } }, context("production"));
    expect(snapshot.keys).toHaveLength(350);
    expect(snapshot.location).toBe("/big/production/");
    expect(snapshot.keys[0]).toEqual({
      key: "service-00/group-0/key-0000",
      name: "/big/production/service-00/group-0/key-0000",
      type: "SecureString",
    });
    const calls = server.requestsFor("ssm", "GetParametersByPath");
    expect(calls.length).toBeGreaterThanOrEqual(35);
    expect(new Set(calls.map((c) => c.params.NextToken ?? "first")).size).toBe(calls.length);
  });

  it("never sends WithDecryption, always Recursive, never more than 10 per page", async () => {
    await check().read({ ssm: { path: "/big/staging/" } }, context("staging"));
    const calls = server.requestsFor("ssm", "GetParametersByPath");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.params).not.toHaveProperty("WithDecryption");
      expect(call.params.Recursive).toBe(true);
      expect(call.params.MaxResults).toBeLessThanOrEqual(10);
      expect(call.headers["x-amz-target"]).toBe("AmazonSSM.GetParametersByPath");
      expect(call.headers["content-type"]).toBe("application/x-amz-json-1.1");
    }
  });

  it("keeps String and StringList values and drops whatever comes back for SecureString", async () => {
    const snapshot = await check().read({ ssm: { path: "/small" } }, context("small"));
    expect(snapshot.keys).toEqual([
      { key: "a", name: "/small/a", type: "String", value: "1" },
      { key: "nested/b", name: "/small/nested/b", type: "SecureString" },
    ]);
    const json = JSON.stringify(snapshot);
    expect(json).not.toContain("SMALL-SECRET");
    expect(json).not.toContain(fakeCiphertext("SMALL-SECRET"));
  });

  it("survives a throttling storm: bursts of ThrottlingException on two environments read at once", async () => {
    server.faults.add({ kind: "throttle", service: "ssm", when: bursts(4, 3, (p) => String(p.Path)) });
    // allSettled: a failure must not leave the other reader running into the next test.
    const [production, staging] = await Promise.allSettled([
      check().read({ ssm: { path: "/big/production" } }, context("production")),
      check().read({ ssm: { path: "/big/staging" } }, context("staging")),
    ]);
    expect(production.status === "fulfilled" && production.value.keys).toHaveLength(350);
    expect(staging.status === "fulfilled" && staging.value.keys).toHaveLength(340);
    const throttled = server.requests.filter((r) => r.fault === "throttle");
    expect(throttled.length).toBeGreaterThan(30);
    expect(throttled.every((r) => r.status === 400)).toBe(true);
  });

  it("retries 500s and slow responses that exceed the request timeout", async () => {
    server.faults.add(
      { kind: "server-error", service: "ssm", times: 2 },
      { kind: "slow", delayMs: 900, service: "ssm", times: 1 },
      { kind: "slow", delayMs: 20, service: "ssm", times: 5 },
    );
    const snapshot = await createConfigKeysCheck({
      aws: { endpoint: server.url, retry: FAST_RETRY, requestTimeoutMs: 300 },
    }).read({ ssm: { path: "/big/production" } }, context("production"));
    expect(snapshot.keys).toHaveLength(350);
    expect(server.requests.filter((r) => r.fault === "server-error")).toHaveLength(2);
    expect(server.requests.filter((r) => r.fault === "slow")).toHaveLength(6);
    // Retries repeat a page's NextToken: two 500s and the one response that outlived the timeout.
    const pages = new Set(server.requests.map((r) => r.params.NextToken ?? "first"));
    // (At least: on a loaded machine an ordinary response may outlive the timeout too.)
    expect(server.requests.length - pages.size).toBeGreaterThanOrEqual(3);
  });

  it("a permanently failing environment is an EnvironmentReadError for it alone", async () => {
    server.faults.add({
      kind: "server-error",
      service: "ssm",
      when: (params) => params.Path === "/big/staging/",
    });
    const results = await Promise.allSettled([
      check().read({ ssm: { path: "/big/production" } }, context("production")),
      check().read({ ssm: { path: "/big/staging" } }, context("staging")),
    ]);
    expect(results[0].status).toBe("fulfilled");
    expect(results[0].status === "fulfilled" && results[0].value.keys).toHaveLength(350);
    expect(results[1].status).toBe("rejected");
    const error = (results[1] as PromiseRejectedResult).reason as EnvironmentReadError;
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.environment).toBe("staging");
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      /^staging: could not read SSM parameters under \/big\/staging\/: InternalServerError: .*HTTP 500, after 8 attempts/,
    );
    expect(server.requests.filter((r) => r.fault === "server-error")).toHaveLength(8);
  });

  it("does not retry access denied", async () => {
    server.faults.add({ kind: "access-denied", service: "ssm" });
    const error = await caught(() => check().read({ ssm: { path: "/small" } }, context("small")));
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.message).toContain("AccessDeniedException");
    expect(server.requests).toHaveLength(1);
  });

  it("gives up when the throttling outlasts the retry budget", async () => {
    server.faults.add({ kind: "throttle", service: "ssm" });
    const error = await caught(() =>
      createConfigKeysCheck({ aws: { endpoint: server.url, retry: { ...FAST_RETRY, maxAttempts: 3 } } }).read(
        { ssm: { path: "/small" } },
        context("small"),
      ),
    );
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.message).toContain("ThrottlingException");
    expect(server.requests).toHaveLength(3);
  });

  it("an unreachable endpoint is an EnvironmentReadError", async () => {
    const error = await caught(() =>
      createConfigKeysCheck({
        aws: { endpoint: "http://127.0.0.1:9", retry: { ...FAST_RETRY, maxAttempts: 2 } },
      }).read({ ssm: { path: "/small" } }, context("small")),
    );
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.message).toMatch(/^small: could not read SSM parameters under \/small\//);
  });

  it("no region anywhere is an EnvironmentReadError that says so", async () => {
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      const error = await caught(() => check().read({ ssm: { path: "/small" } }, context("small")));
      expect(error).toBeInstanceOf(EnvironmentReadError);
      expect(error.message).toMatch(/^small: could not read SSM parameters under \/small\/: .*[Rr]egion/);
      expect(server.requests).toHaveLength(0);
    } finally {
      process.env.AWS_REGION = saved;
    }
  });

  it("rejects a path that does not start with / as bad input", async () => {
    const error = await caught(() => check().read({ ssm: { path: "shop/prod" } }, context("production")));
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([
      'production.config.ssm.path: "shop/prod" must start with "/"',
    ]);
  });
});

describe("endpoints", () => {
  it("honours AWS_ENDPOINT_URL_SSM when no endpoint is configured (the SDK does it)", async () => {
    process.env.AWS_ENDPOINT_URL_SSM = server.url;
    const snapshot = await createConfigKeysCheck({ aws: { retry: FAST_RETRY } }).read(
      { ssm: { path: "/small" } },
      context("small"),
    );
    expect(snapshot.keys.map((k) => k.key)).toEqual(["a", "nested/b"]);
    expect(server.requests).toHaveLength(1);
  });

  it("honours AWS_ENDPOINT_URL", async () => {
    process.env.AWS_ENDPOINT_URL = server.url;
    const snapshot = await createConfigKeysCheck({ aws: { retry: FAST_RETRY } }).read(
      { ssm: { path: "/small" } },
      context("small"),
    );
    expect(snapshot.keys).toHaveLength(2);
  });

  it("the spec's endpoint wins over the environment", async () => {
    process.env.AWS_ENDPOINT_URL_SSM = "http://127.0.0.1:9";
    const snapshot = await createConfigKeysCheck({ aws: { retry: FAST_RETRY } }).read(
      { ssm: { path: "/small", endpoint: server.url, region: "eu-west-1" } },
      context("small"),
    );
    expect(snapshot.keys).toHaveLength(2);
    expect(String(server.requests[0]?.headers.authorization)).toContain("/eu-west-1/ssm/aws4_request");
  });
});
