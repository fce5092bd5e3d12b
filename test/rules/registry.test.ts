// The rule registry: its shape (unique, sorted, domain/name ids, each rule in the file its id names),
// and that it is complete — one real audit over PostgreSQL 15 and 13 servers, SSM and RDS through the
// loopback AWS server, and an ignore list, reports every registered rule, and nothing that is not
// registered.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { SEVERITIES } from "../../audit/core/finding.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import type { Rule } from "../../audit/core/rule.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { configKeysCheck } from "../../audit/drift/checks/config-keys/index.ts";
import { dataCheck } from "../../audit/drift/checks/data/index.ts";
import { databaseCheck } from "../../audit/drift/checks/database/index.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { rdsCheck } from "../../audit/drift/checks/rds/index.ts";
import {
  compareRuleIds,
  findRule,
  RULE_ID_FORMAT,
  ruleDomain,
  ruleRegistry,
  rulesByDomain,
} from "../../audit/drift/rules/index.ts";
import { ignoreListRules } from "../../audit/drift/runner/index.ts";
import type { AuditResult } from "../../audit/drift/runner/result.ts";
import { tempDirWith } from "../audit/support/files.ts";
import { useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { createTestDatabase, databaseUrl, serverUrl, type TestDatabase } from "../support/databases.ts";

const ids = ruleRegistry.map((rule) => rule.id);
const RULES_DIR = fileURLToPath(new URL("../../audit/drift/rules/", import.meta.url));

function isRule(value: unknown): value is Rule<unknown> {
  return typeof value === "object" && value !== null && "meta" in value && "check" in value;
}

/** Every rule file under audit/drift/rules/<domain>/, with the rules it exports. */
async function ruleFiles(): Promise<Array<{ path: string; rules: Rule<unknown>[] }>> {
  const domains = (await readdir(RULES_DIR, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  const files = await Promise.all(
    domains.map(async (domain) =>
      (await readdir(join(RULES_DIR, domain.name))).map((name) => `${domain.name}/${name}`),
    ),
  );
  return Promise.all(
    files.flat().map(async (path) => ({
      path,
      rules: Object.values(await import(join(RULES_DIR, path))).filter(isRule),
    })),
  );
}

describe("the rule registry", () => {
  it("holds the rules each check declares and the runner's ignore-list rules, once each", () => {
    const declared = [databaseCheck, dataCheck, configKeysCheck, rdsCheck].flatMap(
      (check) => check.rules ?? [],
    );
    expect([...ids].sort()).toEqual([...declared, ...ignoreListRules].map((rule) => rule.id).sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is written sorted by id, domains in order and each domain's rules in order", () => {
    expect(ids).toEqual([...ids].sort(compareRuleIds));
    expect(Object.keys(rulesByDomain)).toEqual(Object.keys(rulesByDomain).sort(compareRuleIds));
    for (const [domain, rules] of Object.entries(rulesByDomain)) {
      expect(rules.map((rule) => ruleDomain(rule.meta.id))).toEqual(rules.map(() => domain));
    }
    expect(compareRuleIds("data/volume", "engine/locale")).toBeLessThan(0);
    expect(compareRuleIds("rds/engine", "rds/engine-version")).toBeLessThan(0);
  });

  it("has one rule per file under audit/drift/rules/, at the path its id names, and lists every one", async () => {
    const files = await ruleFiles();
    for (const file of files) {
      expect(
        file.rules.map((rule) => `${rule.meta.id}.ts`),
        file.path,
      ).toEqual([file.path]);
    }
    const registered = Object.values(rulesByDomain).flat() as readonly Rule<unknown>[];
    const fileIds = files.map((file) => file.path.replace(/\.ts$/, ""));
    expect(registered.map((rule) => rule.meta.id)).toEqual(fileIds.sort(compareRuleIds));
    // The registry holds the very objects the files export, not copies.
    for (const file of files) expect(registered).toContain(file.rules[0]);
  });

  it.each(ids)(
    "%s is domain/name, with a severity, a sentence saying what it reports, and messages",
    (id) => {
      expect(id).toMatch(RULE_ID_FORMAT);
      const rule = findRule(id);
      expect(SEVERITIES).toContain(rule?.defaultSeverity);
      expect(rule?.description).toMatch(/^[A-Z].{20,}\.$/s);
      expect(Object.keys(rule?.messages ?? {}).length).toBeGreaterThan(0);
      for (const severity of Object.values(rule?.messageSeverities ?? {}))
        expect(SEVERITIES).toContain(severity);
    },
  );

  it("names the domains users meet in reports", () => {
    expect([...new Set(ids.map(ruleDomain))]).toEqual(["audit", "config", "data", "engine", "rds", "schema"]);
    expect(findRule("schema-missing")).toBeUndefined();
    expect(RULE_ID_FORMAT.test("schema-missing")).toBe(false);
  });
});

// ---- One real audit that trips every rule.

const BASELINE_SQL = `
create extension citext;
create type mood as enum ('calm', 'busy');
create table customers (id bigserial primary key, email citext not null, mood mood);
create view customer_moods as select id, mood from customers;
create table orders (id bigserial primary key, customer_id bigint not null references customers, placed_at timestamptz);
create index orders_customer_idx on orders (customer_id);
insert into customers (email, mood) select 'c' || g || '@example.com', 'calm' from generate_series(1, 10) g;
insert into orders (customer_id) select 1 from generate_series(1, 5000);
analyze;
`;

// PostgreSQL 13, collation C, citext never updated, an enum label and a column added, the hand-made
// index absent, no rows (the sequences start again at 1), a different work_mem.
const TARGET_SQL = `
create extension citext version '1.4';
create type mood as enum ('calm', 'busy', 'angry');
create table customers (id bigserial primary key, email citext not null, mood mood, loyalty_points integer);
create view customer_moods as select id, mood from customers;
create table orders (id bigserial primary key, customer_id bigint not null references customers, placed_at timestamptz);
`;

const PRODUCTION_DB_HOST = "shop-production.c9x2kq7hw1ab.us-east-1.rds.amazonaws.com";

let aws: AwsTestServer;
let baseline: TestDatabase;
const targetName = `rules_target_${process.pid}`;
// What a clone of the target killed before its mask committed leaves on the target's server.
const leftoverName = `parity_clone_rules${process.pid}`;

beforeAll(async () => {
  useDummyAwsEnvironment();
  const instance = (identifier: string, overrides: Record<string, unknown>) => ({
    identifier,
    instanceClass: "db.r6g.large",
    engine: "postgres",
    engineVersion: "15.4",
    storageEncrypted: true,
    multiAZ: true,
    parameterGroup: "shop-production",
    ...overrides,
  });
  aws = await startAwsTestServer({
    ssm: [
      {
        name: "/shop/production/DATABASE_URL",
        type: "String",
        value: `postgres://app@${PRODUCTION_DB_HOST}/shop`,
      },
      { name: "/shop/production/FEATURE_CHECKOUT_V2", type: "String", value: "on" },
      { name: "/shop/production/WEBHOOK_SECRET", type: "SecureString", value: "whsec_not_printed" },
      {
        name: "/shop/staging/DATABASE_URL",
        type: "String",
        value: `postgres://app@${PRODUCTION_DB_HOST}/shop`,
      },
      { name: "/shop/staging/WEBHOOK_SECRET", type: "String", value: "whsec_plain" },
      { name: "/shop/staging/DEBUG_TOOLBAR", type: "String", value: "on" },
    ],
    rds: {
      instances: [
        instance("shop-production", {}),
        instance("shop-staging", {
          instanceClass: "db.t4g.medium",
          engineVersion: "15.7",
          storageEncrypted: false,
          multiAZ: false,
          parameterGroup: "shop-staging",
        }),
        instance("shop-legacy", { engineVersion: "13.12" }),
      ],
      parameterGroups: {
        "shop-production": [{ name: "work_mem", value: "65536", source: "user" }],
        "shop-staging": [
          { name: "work_mem", value: "4096", source: "user" },
          { name: "random_page_cost", value: "1.1", source: "user" },
        ],
      },
    },
  });
  baseline = await createTestDatabase(15, BASELINE_SQL, { autoDrop: false });
  await withClient(serverUrl(13), (client) =>
    client.query(
      `create database ${quoteIdent(targetName)} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`,
    ),
  );
  await withClient(databaseUrl(13, targetName), async (client) => {
    await client.query(TARGET_SQL);
    await client.query(`alter database ${quoteIdent(targetName)} set work_mem = '64MB'`);
  });
  await withClient(serverUrl(13), async (client) => {
    await client.query(`create database ${quoteIdent(leftoverName)}`);
    await client.query(
      `comment on database ${quoteIdent(leftoverName)} is 'parity-clone in progress: building ${targetName}, started 2026-01-01T00:00:00.000Z'`,
    );
  });
});

afterAll(async () => {
  await Promise.all([
    aws?.close(),
    baseline?.drop(),
    withClient(serverUrl(13), async (client) => {
      await client.query(`drop database if exists ${quoteIdent(targetName)} with (force)`);
      await client.query(`drop database if exists ${quoteIdent(leftoverName)} with (force)`);
    }),
  ]);
});

async function auditEverything(): Promise<AuditResult> {
  const cwd = await tempDirWith({
    "parity.config.yaml": `
baseline: production
environments:
  production:
    database: { url: "\${BASELINE_URL}", excludeSchemas: [archive_*] }
    config: { ssm: { path: /shop/production/, region: us-east-1, endpoint: "\${AWS_URL}" } }
    rds: { instance: shop-production, region: us-east-1, endpoint: "\${AWS_URL}" }
  staging:
    database: { url: "\${TARGET_URL}", excludeSchemas: [archive_*] }
    config: { ssm: { path: /shop/staging/, region: us-east-1, endpoint: "\${AWS_URL}" } }
    rds: { instance: shop-staging, region: us-east-1, endpoint: "\${AWS_URL}" }
  legacy:
    rds: { instance: shop-legacy, region: us-east-1, endpoint: "\${AWS_URL}" }
ignore:
  - { rule: rds/instance-class, object: "*", environment: staging, reason: a smaller class on purpose }
  - { rule: config/*, object: NO_SUCH_KEY, reason: a stale entry }
  - { rule: schema/*, object: "*", reason: a temporary exception, until: 2020-01-31 }
`,
  });
  const { result } = await auditCommand({
    cwd,
    registry: defaultRegistry,
    reporters: ["json=report.json"],
    variables: { BASELINE_URL: baseline.url, TARGET_URL: databaseUrl(13, targetName), AWS_URL: aws.url },
  });
  return result;
}

describe("every rule a real audit reports is registered", () => {
  it("one audit of a drifted staging and a legacy instance reports each registered rule, and only those", async () => {
    const result = await auditEverything();
    expect(result.errors).toEqual([]);
    const reported = [...result.findings, ...result.ignored.map((ignored) => ignored.finding)];
    const emitted = new Set(reported.map((finding) => finding.ruleId));
    expect([...emitted].filter((id) => findRule(id) === undefined)).toEqual([]);
    // Two servers of different majors cannot differ by minor only: that rule runs on real
    // snapshots in the next test.
    expect([...emitted].sort(compareRuleIds)).toEqual(ids.filter((id) => id !== "engine/minor-version"));
    // The ignore list hid what it should, so its rules were checked after hiding.
    expect(result.ignored.map((ignored) => ignored.finding.ruleId)).toEqual(["rds/instance-class"]);
  });

  it("reports engine/minor-version for real snapshots a minor release apart", async () => {
    const read = await databaseCheck.read(
      { url: baseline.url },
      { environment: "production", configDir: "." },
    );
    const patched = { ...read, engine: { ...read.engine, minor: read.engine.minor + 1 } };
    const findings = databaseCheck.compare(read, patched, { baseline: "production", target: "staging" });
    expect(findings.map((finding) => finding.ruleId)).toEqual(["engine/minor-version"]);
    expect(findRule("engine/minor-version")?.defaultSeverity).toBe(findings[0]?.severity);
  });
});
