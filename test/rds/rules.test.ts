import { describe, expect, it } from "vitest";
import {
  majorVersion,
  type RdsSnapshot,
  rdsCheck,
  rdsRules,
  rules,
} from "../../audit/drift/checks/rds/index.ts";

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
const run = (ruleId: string, target: Partial<RdsSnapshot>, baseline: Partial<RdsSnapshot> = {}) => {
  const rule = rdsRules.find((r) => r.meta.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule
    .check({ baseline: instance("production", baseline), target: instance("staging", target), environments })
    .map((f) => [f.severity, f.location.objectType, f.location.object, f.expected, f.actual]);
};

describe("registry", () => {
  it("exports sorted rule metadata with documented severities", () => {
    expect(rules.map((r) => [r.id, r.defaultSeverity])).toEqual([
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

describe("rds/engine", () => {
  it.each<[string, Partial<RdsSnapshot>, unknown[]]>([
    ["same", {}, []],
    ["minor only", { engineVersion: "15.7" }, []],
    [
      "major behind",
      { engineVersion: "13.12" },
      [["error", "rds-instance", "engine-version", "15.4", "13.12"]],
    ],
    [
      "other engine",
      { engine: "mysql", engineVersion: "8.0.35" },
      [["error", "rds-instance", "engine", "postgres", "mysql"]],
    ],
    [
      "cluster target uses rds-cluster",
      { kind: "cluster", engine: "aurora-postgresql" },
      [["error", "rds-cluster", "engine", "postgres", "aurora-postgresql"]],
    ],
  ])("%s", (_name, target, expected) => {
    expect(run("rds/engine", target)).toEqual(expected);
  });

  it("says what runs where", () => {
    const [finding] = rdsCheck.compare(
      instance("production"),
      instance("staging", { engineVersion: "13.12" }),
      environments,
    );
    expect(finding?.message).toBe(
      "staging's DB instance shop-staging runs postgres major version 13 (13.12), production's DB instance shop-production runs 15 (15.4)",
    );
  });
});

describe("rds/engine-version", () => {
  it.each<[string, Partial<RdsSnapshot>, unknown[]]>([
    ["same", {}, []],
    [
      "minor differs",
      { engineVersion: "15.7" },
      [["warning", "rds-instance", "engine-version", "15.4", "15.7"]],
    ],
    ["major differs is rds/engine's", { engineVersion: "13.12" }, []],
  ])("%s", (_name, target, expected) => {
    expect(run("rds/engine-version", target)).toEqual(expected);
  });
});

describe("settings", () => {
  it.each<[string, string, Partial<RdsSnapshot>, unknown[]]>([
    [
      "instance class",
      "rds/instance-class",
      { instanceClass: "db.t4g.medium" },
      [["warning", "rds-instance", "instance-class", "db.r6g.xlarge", "db.t4g.medium"]],
    ],
    [
      "encryption off",
      "rds/storage-encryption",
      { storageEncrypted: false },
      [["error", "rds-instance", "storage-encrypted", true, false]],
    ],
    [
      "storage type",
      "rds/setting",
      { storageType: "gp2" },
      [["warning", "rds-instance", "storage-type", "gp3", "gp2"]],
    ],
    ["multi-AZ", "rds/setting", { multiAZ: false }, [["warning", "rds-instance", "multi-az", true, false]]],
    [
      "auto minor upgrade",
      "rds/setting",
      { autoMinorVersionUpgrade: true },
      [["warning", "rds-instance", "auto-minor-version-upgrade", false, true]],
    ],
    [
      "backup retention",
      "rds/setting",
      { backupRetentionPeriod: 1 },
      [["warning", "rds-instance", "backup-retention", 14, 1]],
    ],
    [
      "deletion protection",
      "rds/setting",
      { deletionProtection: false },
      [["warning", "rds-instance", "deletion-protection", true, false]],
    ],
    [
      "not reported by the target",
      "rds/setting",
      { storageType: undefined },
      [["warning", "rds-instance", "storage-type", "gp3", undefined]],
    ],
    ["identical", "rds/setting", {}, []],
  ])("%s", (_name, ruleId, target, expected) => {
    expect(run(ruleId, target)).toEqual(expected);
  });

  it("nothing to compare when the baseline does not report a field", () => {
    expect(run("rds/setting", { storageType: "gp2" }, { storageType: undefined })).toEqual([]);
  });
});

describe("parameters", () => {
  it.each<[string, string, Partial<RdsSnapshot>, unknown[]]>([
    ["same", "rds/parameter", {}, []],
    [
      "value differs",
      "rds/parameter",
      { parameters: { work_mem: "4MB", "rds.force_ssl": "1" } },
      [["error", "rds-parameter", "work_mem", "16MB", "4MB"]],
    ],
    [
      "left at default in target",
      "rds/parameter",
      { parameters: { work_mem: "16MB" } },
      [["error", "rds-parameter", "rds.force_ssl", "1", undefined]],
    ],
    [
      "extra in target",
      "rds/parameter-extra",
      { parameters: { work_mem: "16MB", "rds.force_ssl": "1", log_statement: "all" } },
      [["warning", "rds-parameter", "log_statement", undefined, "all"]],
    ],
    [
      "extra is not a mismatch",
      "rds/parameter",
      { parameters: { work_mem: "16MB", "rds.force_ssl": "1", log_statement: "all" } },
      [],
    ],
  ])("%s", (_name, ruleId, target, expected) => {
    expect(run(ruleId, target)).toEqual(expected);
  });

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
