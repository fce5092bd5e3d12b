// The RDS check through the real SDK client and the loopback Query/XML server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReadContext } from "../../audit/core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import { createRdsCheck } from "../../audit/drift/checks/rds/index.ts";
import { bursts, FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, type ParameterFixture, startAwsTestServer } from "../aws-server/server.ts";
import { caught } from "../config-keys/caught.ts";

const context = (environment: string): ReadContext => ({ environment, configDir: "." });
const environments = { baseline: "production", target: "staging" };

/** 120 user-set parameters and 200 engine defaults: several pages even at MaxRecords=100. */
function bigGroup(overrides: Record<string, string>): ParameterFixture[] {
  const user = Array.from({ length: 120 }, (_, i) => ({
    name: `custom_${String(i).padStart(3, "0")}`,
    value: overrides[`custom_${String(i).padStart(3, "0")}`] ?? String(i),
    source: "user" as const,
  }));
  const defaults = Array.from({ length: 200 }, (_, i) => ({ name: `default_${i}`, value: "x" }));
  return [...defaults.slice(0, 100), ...user, ...defaults.slice(100)];
}

let server: AwsTestServer;
const check = (pageSize?: number) =>
  createRdsCheck({ aws: { endpoint: server.url, retry: FAST_RETRY }, ...(pageSize ? { pageSize } : {}) });

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({
    rds: {
      instances: [
        // Filler so instance listings page too.
        ...Array.from({ length: 45 }, (_, i) => ({
          identifier: `other-${i}`,
          instanceClass: "db.t4g.micro",
          engine: "postgres",
          engineVersion: "16.2",
        })),
        {
          identifier: "shop-production",
          instanceClass: "db.r6g.xlarge",
          engine: "postgres",
          engineVersion: "15.4",
          storageType: "io1",
          storageEncrypted: true,
          multiAZ: true,
          autoMinorVersionUpgrade: false,
          backupRetentionPeriod: 14,
          deletionProtection: true,
          parameterGroup: "shop-production-pg15",
        },
        {
          identifier: "shop-staging",
          instanceClass: "db.t4g.medium",
          engine: "postgres",
          engineVersion: "13.12",
          storageType: "gp3",
          storageEncrypted: false,
          multiAZ: false,
          autoMinorVersionUpgrade: true,
          backupRetentionPeriod: 1,
          deletionProtection: false,
          parameterGroup: "shop-staging-pg13",
        },
        {
          identifier: "aurora-prod-1",
          instanceClass: "db.r6g.2xlarge",
          engine: "aurora-postgresql",
          engineVersion: "15.4",
          clusterIdentifier: "aurora-prod",
          parameterGroup: "aurora-prod-instance",
          autoMinorVersionUpgrade: false,
        },
        {
          identifier: "aurora-prod-2",
          instanceClass: "db.r6g.large",
          engine: "aurora-postgresql",
          engineVersion: "15.4",
          clusterIdentifier: "aurora-prod",
          parameterGroup: "aurora-prod-instance",
          autoMinorVersionUpgrade: false,
        },
        {
          identifier: "aurora-staging-1",
          instanceClass: "db.r6g.large",
          engine: "aurora-postgresql",
          engineVersion: "15.5",
          clusterIdentifier: "aurora-staging",
          parameterGroup: "aurora-staging-instance",
          autoMinorVersionUpgrade: false,
        },
      ],
      clusters: [
        {
          identifier: "aurora-prod",
          engine: "aurora-postgresql",
          engineVersion: "15.4",
          parameterGroup: "aurora-prod-cluster",
          deletionProtection: true,
          backupRetentionPeriod: 7,
          members: [
            { identifier: "aurora-prod-2", writer: false },
            { identifier: "aurora-prod-1", writer: true },
          ],
        },
        {
          identifier: "aurora-staging",
          engine: "aurora-postgresql",
          engineVersion: "15.5",
          parameterGroup: "aurora-staging-cluster",
          deletionProtection: true,
          backupRetentionPeriod: 7,
          members: [{ identifier: "aurora-staging-1", writer: true }],
        },
      ],
      parameterGroups: {
        "shop-production-pg15": bigGroup({}),
        "shop-staging-pg13": bigGroup({ custom_007: "changed", custom_100: "changed" }),
        "aurora-prod-instance": [{ name: "work_mem", value: "64MB", source: "user" }],
        "aurora-staging-instance": [
          { name: "work_mem", value: "4MB", source: "user" },
          { name: "log_statement", value: "all", source: "user" },
        ],
      },
      clusterParameterGroups: {
        "aurora-prod-cluster": [
          { name: "rds.force_ssl", value: "1", source: "user" },
          { name: "timezone", value: "UTC", source: "system" },
        ],
        "aurora-staging-cluster": [{ name: "timezone", value: "UTC", source: "system" }],
      },
    },
  });
});
afterEach(() => {
  server.faults.clear();
  server.requests.length = 0;
  delete process.env.AWS_ENDPOINT_URL_RDS;
});
afterAll(() => server.close());

describe("reading an RDS instance", () => {
  it("reads settings and every page of user-set parameters, never the defaults", async () => {
    const snapshot = await check(20).read({ instance: "shop-production" }, context("production"));
    expect(snapshot).toMatchObject({
      kind: "instance",
      identifier: "shop-production",
      engine: "postgres",
      engineVersion: "15.4",
      instanceClass: "db.r6g.xlarge",
      storageType: "io1",
      storageEncrypted: true,
      multiAZ: true,
      autoMinorVersionUpgrade: false,
      backupRetentionPeriod: 14,
      deletionProtection: true,
      parameterGroup: "shop-production-pg15",
    });
    expect(Object.keys(snapshot.parameters)).toHaveLength(120);
    expect(snapshot.parameters.custom_119).toBe("119");
    const calls = server.requestsFor("rds", "DescribeDBParameters");
    expect(calls).toHaveLength(6); // 120 user parameters at 20 per page
    for (const call of calls) {
      expect(call.params.Source).toBe("user");
      expect(call.params.Version).toBe("2014-10-31");
      expect(call.params.MaxRecords).toBe("20");
    }
    expect(calls.slice(1).every((c) => typeof c.params.Marker === "string")).toBe(true);
  });

  it("reports instance drift between production and staging", async () => {
    const rds = check();
    const [production, staging] = await Promise.all([
      rds.read({ instance: "shop-production" }, context("production")),
      rds.read({ instance: "shop-staging" }, context("staging")),
    ]);
    const findings = rds.compare(production, staging, environments);
    expect(
      findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.objectType}/${f.location.object}`),
    ).toEqual([
      "error rds/engine rds-instance/engine-version",
      "warning rds/instance-class rds-instance/instance-class",
      "error rds/parameter rds-parameter/custom_007",
      "error rds/parameter rds-parameter/custom_100",
      "warning rds/setting rds-instance/auto-minor-version-upgrade",
      "warning rds/setting rds-instance/backup-retention",
      "warning rds/setting rds-instance/deletion-protection",
      "warning rds/setting rds-instance/multi-az",
      "warning rds/setting rds-instance/storage-type",
      "error rds/storage-encryption rds-instance/storage-encrypted",
    ]);
    expect(findings.find((f) => f.location.object === "custom_007")?.message).toBe(
      "Parameter custom_007 is changed in staging (shop-staging-pg13), 7 in production (shop-production-pg15)",
    );
  });

  it("survives a throttling storm on every call", async () => {
    server.faults.add({
      kind: "throttle",
      service: "rds",
      when: bursts(3, 2, (p) => String(p.DBInstanceIdentifier ?? p.DBParameterGroupName)),
    });
    const rds = check(20);
    // allSettled: a failure must not leave the other reader running into the next test.
    const [production, staging] = await Promise.allSettled([
      rds.read({ instance: "shop-production" }, context("production")),
      rds.read({ instance: "shop-staging" }, context("staging")),
    ]);
    expect(production.status === "fulfilled" && Object.keys(production.value.parameters)).toHaveLength(120);
    expect(staging.status === "fulfilled" && staging.value.engineVersion).toBe("13.12");
    const throttled = server.requests.filter((r) => r.fault === "throttle");
    expect(throttled.length).toBeGreaterThan(8);
    expect(throttled.every((r) => r.status === 400)).toBe(true);
  });

  it("an instance that does not exist fails that environment at once (not retried)", async () => {
    const rds = check();
    const results = await Promise.allSettled([
      rds.read({ instance: "shop-production" }, context("production")),
      rds.read({ instance: "shop-typo" }, context("staging")),
    ]);
    expect(results[0].status).toBe("fulfilled");
    const error = (results[1] as PromiseRejectedResult).reason as EnvironmentReadError;
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.environment).toBe("staging");
    expect(error.message).toBe(
      "staging: could not read RDS instance shop-typo: DBInstanceNotFoundFault: DBInstance shop-typo not found., HTTP 404, request id " +
        error.message.split("request id ")[1],
    );
    expect(error.message).toContain("(check the identifier and region)");
    expect(server.requests.filter((r) => r.params.DBInstanceIdentifier === "shop-typo")).toHaveLength(1);
  });

  it("a permanently failing environment (500s) is an EnvironmentReadError after the retries", async () => {
    server.faults.add({
      kind: "server-error",
      service: "rds",
      when: (p) => p.DBInstanceIdentifier === "shop-staging",
    });
    const rds = check();
    const results = await Promise.allSettled([
      rds.read({ instance: "shop-production" }, context("production")),
      rds.read({ instance: "shop-staging" }, context("staging")),
    ]);
    expect(results[0].status).toBe("fulfilled");
    const error = (results[1] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.message).toMatch(
      /^staging: could not read RDS instance shop-staging: InternalFailure: .*HTTP 500, after 8 attempts/,
    );
  });

  it("retries slow responses past the request timeout", async () => {
    server.faults.add({
      kind: "slow",
      delayMs: 900,
      service: "rds",
      action: "DescribeDBParameters",
      times: 1,
    });
    const snapshot = await createRdsCheck({
      aws: { endpoint: server.url, retry: FAST_RETRY, requestTimeoutMs: 300 },
    }).read({ instance: "shop-staging" }, context("staging"));
    expect(Object.keys(snapshot.parameters)).toHaveLength(120);
    // Timed out once, then 2 pages (at least: on a loaded machine an ordinary response may time out too).
    expect(server.requestsFor("rds", "DescribeDBParameters").length).toBeGreaterThanOrEqual(3);
  });

  it("honours AWS_ENDPOINT_URL_RDS", async () => {
    process.env.AWS_ENDPOINT_URL_RDS = server.url;
    const snapshot = await createRdsCheck({ aws: { retry: FAST_RETRY } }).read(
      { instance: "shop-staging" },
      context("staging"),
    );
    expect(snapshot.instanceClass).toBe("db.t4g.medium");
  });

  it.each([
    [{}, 'staging.rds: name the database with "instance" or "cluster"'],
    [{ instance: "a", cluster: "b" }, 'staging.rds: give either "instance" or "cluster", not both'],
  ])("rejects spec %j as bad input", async (spec, problem) => {
    const error = await caught(() => check().read(spec, context("staging")));
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([problem]);
    expect(server.requests).toHaveLength(0);
  });
});

describe("reading an Aurora cluster", () => {
  it("reads the cluster, its members, the writer's instance class and both parameter groups", async () => {
    const snapshot = await check().read({ cluster: "aurora-prod" }, context("production"));
    expect(snapshot).toMatchObject({
      kind: "cluster",
      engine: "aurora-postgresql",
      engineVersion: "15.4",
      instanceClass: "db.r6g.2xlarge",
      storageType: "aurora",
      autoMinorVersionUpgrade: false,
      parameterGroup: "aurora-prod-instance",
      clusterParameterGroup: "aurora-prod-cluster",
      parameters: { work_mem: "64MB" },
      clusterParameters: { "rds.force_ssl": "1" },
      members: [
        { identifier: "aurora-prod-2", writer: false, instanceClass: "db.r6g.large" },
        { identifier: "aurora-prod-1", writer: true, instanceClass: "db.r6g.2xlarge" },
      ],
    });
    const memberCall = server.requestsFor("rds", "DescribeDBInstances")[0];
    expect(memberCall?.params).toMatchObject({
      "Filters.Filter.1.Name": "db-cluster-id",
      "Filters.Filter.1.Values.Value.1": "aurora-prod",
    });
    expect(server.requestsFor("rds", "DescribeDBClusterParameters")[0]?.params.Source).toBe("user");
  });

  it("reports cluster drift with rds-cluster and rds-cluster-parameter names", async () => {
    const rds = check();
    const [production, staging] = await Promise.all([
      rds.read({ cluster: "aurora-prod" }, context("production")),
      rds.read({ cluster: "aurora-staging" }, context("staging")),
    ]);
    expect(
      rds
        .compare(production, staging, environments)
        .map((f) => `${f.severity} ${f.ruleId} ${f.location.objectType}/${f.location.object}`),
    ).toEqual([
      "warning rds/engine-version rds-cluster/engine-version",
      "warning rds/instance-class rds-cluster/instance-class",
      "error rds/parameter rds-cluster-parameter/rds.force_ssl",
      "error rds/parameter rds-parameter/work_mem",
      "warning rds/parameter-extra rds-parameter/log_statement",
    ]);
  });

  it("a missing cluster is an EnvironmentReadError", async () => {
    const error = await caught(() => check().read({ cluster: "nope" }, context("staging")));
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.message).toContain("staging: could not read RDS cluster nope: DBClusterNotFoundFault");
  });
});
