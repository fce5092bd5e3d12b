// The whole audit with the real checks: PostgreSQL servers from the harness, SSM and RDS through
// the loopback AWS server (real SDK clients over HTTP), environments discovered from Pulumi stack
// outputs, an ignore list, and one environment that cannot be read.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { jsonReportSchema } from "../../audit/drift/reporters/json-schema.ts";
import { useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { tempDirWith } from "./support/files.ts";

const SCHEMA = `
create table customers (id bigint primary key, email text not null);
create table orders (id bigint primary key, customer_id bigint not null references customers, placed_at timestamptz);
`;
const SECRET = "sk_live_never_printed_4242";

let aws: AwsTestServer;
let production: TestDatabase;
let staging: TestDatabase;
let preview: TestDatabase;

beforeAll(async () => {
  useDummyAwsEnvironment();
  const instance = (identifier: string, instanceClass: string) => ({
    identifier,
    instanceClass,
    engine: "postgres",
    engineVersion: "15.4",
    storageEncrypted: true,
    parameterGroup: "shop-pg15",
  });
  aws = await startAwsTestServer({
    ssm: [
      {
        name: "/shop/production/DATABASE_URL",
        type: "String",
        value: "postgres://app@db.shop-production.internal/shop",
      },
      { name: "/shop/production/FEATURE_CHECKOUT_V2", type: "String", value: "on" },
      { name: "/shop/production/STRIPE_KEY", type: "SecureString", value: SECRET },
      {
        name: "/shop/staging/DATABASE_URL",
        type: "String",
        value: "postgres://app@db.shop-staging.internal/shop",
      },
      { name: "/shop/staging/STRIPE_KEY", type: "SecureString", value: SECRET },
      {
        name: "/shop/preview/DATABASE_URL",
        type: "String",
        value: "postgres://app@db.preview.internal/shop",
      },
    ],
    rds: {
      instances: [instance("shop-production", "db.r6g.xlarge"), instance("shop-staging", "db.t4g.medium")],
      parameterGroups: { "shop-pg15": [{ name: "work_mem", value: "65536", source: "user" }] },
    },
    // The preview's SSM path is not readable by the audit role: that environment cannot be read.
    faults: [{ kind: "access-denied", service: "ssm", when: (params) => params.Path === "/shop/preview/" }],
  });
  // The SDK's standard endpoint override: discovered environments carry no endpoint of their own.
  process.env.AWS_ENDPOINT_URL = aws.url;
  [production, staging, preview] = await Promise.all([
    createTestDatabase(15, `${SCHEMA} create index orders_customer_idx on orders (customer_id);`, {
      autoDrop: false,
    }),
    createTestDatabase(15, SCHEMA, { autoDrop: false }),
    createTestDatabase(15, SCHEMA, { autoDrop: false }),
  ]);
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await Promise.all([aws?.close(), production?.drop(), staging?.drop(), preview?.drop()]);
});

const outputs = (tier: string) =>
  JSON.stringify({
    ssmPath: `/shop/${tier}/`,
    databaseIdentifier: `shop-${tier}`,
    databaseKind: "instance",
    awsRegion: "us-east-1",
  });

describe("parity audit with the real checks", () => {
  it("reports schema, config and RDS drift, honours the ignore list, and isolates an unreadable environment", async () => {
    const cwd = await tempDirWith({
      "production.outputs.json": outputs("production"),
      "staging.outputs.json": outputs("staging"),
      "parity.config.yaml": `
baseline: production
environments:
  production:
    pulumi: { stack: shop/production, outputsFile: production.outputs.json }
    database: { url: "\${PRODUCTION_DATABASE_URL}" }
  staging:
    pulumi: { stack: shop/staging, outputsFile: staging.outputs.json }
    database: { url: "\${STAGING_DATABASE_URL}" }
  preview:
    database: { url: "\${PREVIEW_DATABASE_URL}" }
    config: { ssm: { path: /shop/preview/ } }
ignore:
  - rule: rds/instance-class
    object: instance-class
    environment: staging
    reason: staging runs on a burstable class on purpose
`,
    });
    const { result, reports, exitCode } = await auditCommand({
      cwd,
      registry: defaultRegistry,
      reporters: ["text", "json=report.json", "junit=parity.xml", "markdown=summary.md"],
      variables: {
        PRODUCTION_DATABASE_URL: production.url,
        STAGING_DATABASE_URL: staging.url,
        PREVIEW_DATABASE_URL: preview.url,
      },
    });

    expect(exitCode).toBe(2);
    const summaryOf = (environment: string) =>
      result.findings
        .filter((f) => f.location.environment === environment)
        .map((f) => `${f.ruleId} ${f.location.object}`);
    expect(summaryOf("staging")).toEqual(
      expect.arrayContaining([
        "config/missing-key FEATURE_CHECKOUT_V2",
        expect.stringMatching(/^schema\/missing public\.orders_customer_idx$/),
      ]),
    );
    // The intentional instance-class difference is hidden, with its reason.
    expect(
      result.ignored.map((i) => [i.finding.ruleId, i.finding.location.environment, i.entry.reason]),
    ).toEqual([["rds/instance-class", "staging", "staging runs on a burstable class on purpose"]]);
    // preview: its config cannot be read; its database is still compared.
    expect(result.errors.map((e) => [e.environment, e.check])).toEqual([["preview", "config"]]);
    expect(summaryOf("preview")).toEqual([
      "data/masking-coverage preview", // customers.email and no maskingRules: the data check says so
      "schema/missing public.orders_customer_idx",
    ]);
    expect(result.checks.map((c) => `${c.environment}/${c.check}:${c.status}`)).toEqual([
      "staging/database:failed",
      "staging/data:passed",
      "staging/config:failed",
      "staging/rds:passed",
      "preview/database:failed",
      "preview/data:passed",
      "preview/config:error",
      "preview/rds:skipped",
    ]);
    // Discovery found the stacks' SSM paths and RDS instances, and never asked for decryption.
    expect(
      aws
        .requestsFor("ssm", "GetParametersByPath")
        .map((r) => r.params.Path)
        .sort(),
    ).toEqual(["/shop/preview/", "/shop/production/", "/shop/staging/"]);
    expect(aws.requestsFor("ssm").every((r) => r.params.WithDecryption !== true)).toBe(true);
    expect(
      aws
        .requestsFor("rds", "DescribeDBInstances")
        .map((r) => r.params.DBInstanceIdentifier)
        .sort(),
    ).toEqual(["shop-production", "shop-staging"]);

    for (const report of reports) expect(report.content).not.toContain(SECRET);
    const json = jsonReportSchema.parse(
      JSON.parse(reports.find((r) => r.reporter === "json")?.content ?? ""),
    );
    expect(json.exitCode).toBe(2);
    expect(reports[0]?.content).toMatch(/preview\s+could not be read/);
    expect(join(cwd, "report.json")).toBe(reports[1]?.file);
  });
});
