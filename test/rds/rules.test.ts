// The RDS rules as tables of valid and invalid snapshot pairs (test/support/rule-tester.ts), and the
// check that runs them all.
import { describe, expect, it } from "vitest";
import { majorVersion, type RdsSnapshot, rdsCheck } from "../../audit/drift/checks/rds/index.ts";
import type { RdsRuleContext } from "../../audit/drift/checks/rds/types.ts";
import { engineRule } from "../../audit/drift/rules/rds/engine.ts";
import { engineVersionRule } from "../../audit/drift/rules/rds/engine-version.ts";
import { instanceClassRule } from "../../audit/drift/rules/rds/instance-class.ts";
import { parameterRule } from "../../audit/drift/rules/rds/parameter.ts";
import { parameterExtraRule } from "../../audit/drift/rules/rds/parameter-extra.ts";
import { settingsRule } from "../../audit/drift/rules/rds/setting.ts";
import { storageEncryptionRule } from "../../audit/drift/rules/rds/storage-encryption.ts";
import { testRule } from "../support/rule-tester.ts";

function instance(environment: string, overrides: Partial<RdsSnapshot> = {}): RdsSnapshot {
  return {
    environment,
    kind: "instance",
    identifier: `shop-${environment}`,
    engine: "postgres",
    engineVersion: "15.4",
    instanceClass: "db.r6g.xlarge",
    storageType: "gp3",
    storageEncrypted: true,
    multiAZ: true,
    autoMinorVersionUpgrade: false,
    backupRetentionPeriod: 14,
    deletionProtection: true,
    parameterGroup: `shop-${environment}-pg15`,
    parameters: { work_mem: "16MB", "rds.force_ssl": "1" },
    clusterParameters: {},
    ...overrides,
  };
}

const environments = { baseline: "production", target: "staging" };

/** Production as above against a staging with these differences. */
function pair(target: Partial<RdsSnapshot>, baseline: Partial<RdsSnapshot> = {}): RdsRuleContext {
  return { baseline: instance("production", baseline), target: instance("staging", target), environments };
}

const STAGING = "staging's DB instance shop-staging";
const PRODUCTION = "production's DB instance shop-production";

describe("registry", () => {
  it("the check declares its rules, sorted, with their documented severities", () => {
    expect(rdsCheck.rules?.map((r) => [r.id, r.defaultSeverity])).toEqual([
      ["rds/engine", "error"],
      ["rds/engine-version", "warning"],
      ["rds/instance-class", "warning"],
      ["rds/parameter", "error"],
      ["rds/parameter-extra", "warning"],
      ["rds/setting", "warning"],
      ["rds/storage-encryption", "error"],
    ]);
  });
});

describe("majorVersion", () => {
  it.each([
    ["postgres", "15.4", "15"],
    ["postgres", "13.12", "13"],
    ["postgres", "9.6.24", "9.6"],
    ["aurora-postgresql", "15.4", "15"],
    ["mysql", "8.0.35", "8.0"],
    ["aurora-mysql", "8.0.mysql_aurora.3.05.2", "8.0"],
  ])("%s %s → %s", (engine, version, major) => {
    expect(majorVersion(engine, version)).toBe(major);
  });
});

testRule(engineRule, {
  valid: [
    { name: "same", context: pair({}) },
    { name: "minor only (rds/engine-version's)", context: pair({ engineVersion: "15.7" }) },
  ],
  invalid: [
    {
      name: "major behind",
      context: pair({ engineVersion: "13.12" }),
      findings: [
        {
          messageId: "otherMajor",
          message: `${STAGING} runs postgres major version 13 (13.12), ${PRODUCTION} runs 15 (15.4)`,
          severity: "error",
          objectType: "rds-instance",
          object: "engine-version",
          environment: "staging",
          expected: "15.4",
          actual: "13.12",
        },
      ],
    },
    {
      name: "other engine",
      context: pair({ engine: "mysql", engineVersion: "8.0.35" }),
      findings: [
        {
          messageId: "otherEngine",
          message: `${STAGING} runs mysql 8.0.35, ${PRODUCTION} runs postgres 15.4`,
          severity: "error",
          objectType: "rds-instance",
          object: "engine",
          expected: "postgres",
          actual: "mysql",
        },
      ],
    },
    {
      name: "a cluster target is an rds-cluster",
      context: pair({ kind: "cluster", engine: "aurora-postgresql" }),
      findings: [
        {
          messageId: "otherEngine",
          severity: "error",
          objectType: "rds-cluster",
          object: "engine",
          expected: "postgres",
          actual: "aurora-postgresql",
        },
      ],
    },
  ],
});

testRule(engineVersionRule, {
  valid: [
    { name: "same", context: pair({}) },
    { name: "a major apart is rds/engine's", context: pair({ engineVersion: "13.12" }) },
    { name: "another engine is rds/engine's", context: pair({ engine: "mysql", engineVersion: "15.7" }) },
  ],
  invalid: [
    {
      name: "minor differs",
      context: pair({ engineVersion: "15.7" }),
      findings: [
        {
          messageId: "differs",
          message: `${STAGING} runs postgres 15.7, ${PRODUCTION} runs 15.4`,
          severity: "warning",
          objectType: "rds-instance",
          object: "engine-version",
          expected: "15.4",
          actual: "15.7",
        },
      ],
    },
  ],
});

testRule(instanceClassRule, {
  valid: [{ name: "same class", context: pair({}) }],
  invalid: [
    {
      name: "a smaller class",
      context: pair({ instanceClass: "db.t4g.medium" }),
      findings: [
        {
          messageId: "differs",
          message: `${STAGING} instance class is db.t4g.medium, ${PRODUCTION} has db.r6g.xlarge`,
          severity: "warning",
          objectType: "rds-instance",
          object: "instance-class",
          expected: "db.r6g.xlarge",
          actual: "db.t4g.medium",
        },
      ],
    },
  ],
});

testRule(storageEncryptionRule, {
  valid: [{ name: "both encrypted", context: pair({}) }],
  invalid: [
    {
      name: "encryption off",
      context: pair({ storageEncrypted: false }),
      findings: [
        {
          messageId: "differs",
          severity: "error",
          objectType: "rds-instance",
          object: "storage-encrypted",
          expected: true,
          actual: false,
        },
      ],
    },
  ],
});

const setting = (object: string, expected: unknown, actual: unknown) => ({
  messageId: "differs",
  severity: "warning" as const,
  objectType: "rds-instance",
  object,
  expected,
  actual,
});

testRule(settingsRule, {
  valid: [
    { name: "identical", context: pair({}) },
    {
      name: "nothing to compare when the baseline does not report a field",
      context: pair({ storageType: "gp2" }, { storageType: undefined }),
    },
  ],
  invalid: [
    {
      name: "storage type",
      context: pair({ storageType: "gp2" }),
      findings: [setting("storage-type", "gp3", "gp2")],
    },
    { name: "multi-AZ", context: pair({ multiAZ: false }), findings: [setting("multi-az", true, false)] },
    {
      name: "auto minor upgrade",
      context: pair({ autoMinorVersionUpgrade: true }),
      findings: [setting("auto-minor-version-upgrade", false, true)],
    },
    {
      name: "backup retention",
      context: pair({ backupRetentionPeriod: 1 }),
      findings: [setting("backup-retention", 14, 1)],
    },
    {
      name: "deletion protection",
      context: pair({ deletionProtection: false }),
      findings: [setting("deletion-protection", true, false)],
    },
    {
      name: "not reported by the target",
      context: pair({ storageType: undefined }),
      findings: [
        {
          ...setting("storage-type", "gp3", undefined),
          message: `${STAGING} storage type is (not reported), ${PRODUCTION} has gp3`,
        },
      ],
    },
    {
      name: "several at once, in field order",
      context: pair({ multiAZ: false, deletionProtection: false }),
      findings: [setting("multi-az", true, false), setting("deletion-protection", true, false)],
    },
  ],
});

testRule(parameterRule, {
  valid: [
    { name: "same", context: pair({}) },
    {
      name: "an extra parameter is rds/parameter-extra's",
      context: pair({ parameters: { work_mem: "16MB", "rds.force_ssl": "1", log_statement: "all" } }),
    },
  ],
  invalid: [
    {
      name: "value differs",
      context: pair({ parameters: { work_mem: "4MB", "rds.force_ssl": "1" } }),
      findings: [
        {
          messageId: "differs",
          message:
            "Parameter work_mem is 4MB in staging (shop-staging-pg15), 16MB in production (shop-production-pg15)",
          severity: "error",
          objectType: "rds-parameter",
          object: "work_mem",
          expected: "16MB",
          actual: "4MB",
        },
      ],
    },
    {
      name: "left at default in target",
      context: pair({ parameters: { work_mem: "16MB" } }),
      findings: [
        {
          messageId: "leftAtDefault",
          message:
            "Parameter rds.force_ssl is set to 1 in production (shop-production-pg15) but left at the engine default in staging (shop-staging-pg15)",
          severity: "error",
          objectType: "rds-parameter",
          object: "rds.force_ssl",
          expected: "1",
          actual: undefined,
        },
      ],
    },
  ],
});

testRule(parameterExtraRule, {
  valid: [{ name: "same", context: pair({}) }],
  invalid: [
    {
      name: "extra in target",
      context: pair({ parameters: { work_mem: "16MB", "rds.force_ssl": "1", log_statement: "all" } }),
      findings: [
        {
          messageId: "extra",
          message:
            "Parameter log_statement is set to all in staging (shop-staging-pg15) but left at the engine default in production (shop-production-pg15)",
          severity: "warning",
          objectType: "rds-parameter",
          object: "log_statement",
          expected: undefined,
          actual: "all",
        },
      ],
    },
  ],
});

describe("parameter groups of clusters", () => {
  it("compares cluster parameter groups separately for two clusters", () => {
    const cluster = (env: string, clusterParameters: Record<string, string>) =>
      instance(env, {
        kind: "cluster",
        engine: "aurora-postgresql",
        clusterParameters,
        parameters: { work_mem: "16MB" },
      });
    const findings = rdsCheck.compare(
      cluster("production", { timezone: "UTC" }),
      cluster("staging", { timezone: "Europe/Berlin" }),
      environments,
    );
    expect(findings.map((f) => [f.ruleId, f.location.objectType, f.location.object])).toEqual([
      ["rds/parameter", "rds-cluster-parameter", "timezone"],
    ]);
  });

  it("compares effective values when one side is a cluster and the other an instance", () => {
    const findings = rdsCheck
      .compare(
        instance("production", {
          kind: "cluster",
          engine: "aurora-postgresql",
          clusterParameters: { "rds.force_ssl": "1" },
          parameters: { work_mem: "16MB" },
        }),
        instance("staging", {
          engine: "aurora-postgresql",
          parameters: { work_mem: "16MB", "rds.force_ssl": "0" },
        }),
        environments,
      )
      .filter((f) => f.ruleId.startsWith("rds/parameter"));
    expect(findings.map((f) => [f.location.objectType, f.location.object, f.expected, f.actual])).toEqual([
      ["rds-parameter", "rds.force_ssl", "1", "0"],
    ]);
  });
});

describe("rdsCheck.compare", () => {
  it("reports the classic staging: older, smaller, unprotected, and a tuned parameter missing", () => {
    const findings = rdsCheck.compare(
      instance("production"),
      instance("staging", {
        engineVersion: "13.12",
        instanceClass: "db.t4g.medium",
        multiAZ: false,
        deletionProtection: false,
        parameters: { "rds.force_ssl": "1" },
      }),
      environments,
    );
    expect(
      findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.objectType}/${f.location.object}`),
    ).toEqual([
      "error rds/engine rds-instance/engine-version",
      "warning rds/instance-class rds-instance/instance-class",
      "error rds/parameter rds-parameter/work_mem",
      "warning rds/setting rds-instance/deletion-protection",
      "warning rds/setting rds-instance/multi-az",
    ]);
  });
});
