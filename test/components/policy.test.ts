// The CrossGuard policy pack, tested the way Pulumi's policy docs suggest: call each policy's
// validateResource with resource args and collect the violations it reports. The args are the
// inputs the engine recorded for every tier the components build (which must pass), and hand-made
// RDS resources (which must not). The pack's entry (index.ts) starts the analyzer server and needs
// the Pulumi CLI, so it is not run here.
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import { parityPolicies } from "../../components/policy/policies.ts";
import { testApp, tierArgs } from "./support/fixtures.ts";
import { installMocks, type RecordedResource, type Recorder, resolved } from "./support/mocks.ts";

let mocks: Recorder;

beforeAll(async () => {
  mocks = await installMocks({ project: "parity", stack: "policy" });
  mocks.answers.set("aws:rds/getSnapshot:getSnapshot", (inputs) => ({
    id: `rds:${String(inputs.dbInstanceIdentifier)}-2026-02-28-03-10`,
  }));
  const { Environment } = await import("../../components/index.ts");
  for (const kind of ["instance", "cluster"] as const) {
    for (const tier of ["production", "staging", "preview"] as const) {
      const environment = new Environment(`pol-${kind}-${tier}`, tierArgs(tier, testApp(kind)));
      await resolved(environment.databaseEndpoint);
    }
    const restored = new Environment(
      `pol-${kind}-pitr`,
      tierArgs("staging", testApp(kind), {
        clone:
          kind === "cluster" ? { restoreToTime: "2026-02-28T00:00:00Z", generation: 2 } : { generation: 2 },
      }),
    );
    await resolved(restored.databaseEndpoint);
  }
  await mocks.settle();
});

/** Every violation the pack reports for one resource, as `policy: message`. */
function violations(type: string, props: Record<string, unknown>, policies = parityPolicies): string[] {
  const found: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:test::parity::${type}::r`,
    name: "r",
    opts: {},
    getConfig: () => ({}),
    isType: () => false,
    asType: () => undefined,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as ResourceValidationArgs;
  for (const policy of policies as ResourceValidationPolicy[]) {
    const validate = policy.validateResource;
    const validators = Array.isArray(validate) ? validate : validate ? [validate] : [];
    for (const validator of validators) {
      void validator(args, (message) => found.push(`${policy.name}: ${message}`));
    }
  }
  return found;
}

const RDS = (resource: RecordedResource) => resource.type.startsWith("aws:rds/");

describe("the pack on what the components build", () => {
  it("finds nothing in any tier, kind or restore mode", () => {
    const databases = mocks.resources.filter((resource) => resource.name.startsWith("pol-") && RDS(resource));
    expect(databases.length).toBeGreaterThanOrEqual(20);
    for (const resource of databases) {
      expect(violations(resource.type, resource.inputs), resource.name).toEqual([]);
    }
  });
});

describe("the pack on hand-made resources", () => {
  const instance = {
    engine: "postgres",
    engineVersion: "15.10",
    instanceClass: "db.t4g.small",
    storageEncrypted: true,
    autoMinorVersionUpgrade: false,
  };

  it.each([
    [
      "an Aurora cluster instance of a class Aurora lacks, on the default parameter group",
      "aws:rds/clusterInstance:ClusterInstance",
      { engine: "aurora-postgresql", instanceClass: "db.t4g.small", autoMinorVersionUpgrade: false },
      [
        expect.stringMatching(
          /^parity-rds-instance-class: instanceClass: "db\.t4g\.small" is not a Aurora PostgreSQL/,
        ),
        expect.stringMatching(/^parity-engine-pinned: dbParameterGroupName is not set/),
      ],
    ],
    [
      "restoreToTime with copy-on-write and useLatestRestorableTime: false (the old component's block)",
      "aws:rds/cluster:Cluster",
      {
        engine: "aurora-postgresql",
        engineVersion: "15.10",
        storageEncrypted: true,
        restoreToPointInTime: {
          sourceClusterIdentifier: "prod",
          restoreType: "copy-on-write",
          useLatestRestorableTime: false,
          restoreToTime: "2026-02-28T00:00:00Z",
        },
      },
      [
        expect.stringMatching(
          /^parity-aurora-restore-mode: .*RDS refuses restoreToTime with restoreType "copy-on-write"/,
        ),
      ],
    ],
    [
      "both restore modes at once",
      "aws:rds/cluster:Cluster",
      {
        engine: "aurora-postgresql",
        engineVersion: "15.10",
        storageEncrypted: true,
        restoreToPointInTime: {
          restoreType: "full-copy",
          useLatestRestorableTime: true,
          restoreToTime: "2026-02-28T00:00:00Z",
        },
      },
      [
        "parity-aurora-restore-mode: restoreToPointInTime: restoreToTime and useLatestRestorableTime exclude each other",
      ],
    ],
    [
      "a public restore of a snapshot",
      "aws:rds/instance:Instance",
      { ...instance, snapshotIdentifier: "rds:prod-2026-02-28", publiclyAccessible: true },
      [
        "parity-no-public-copies: publiclyAccessible must be false: a copy of production's data is never public",
      ],
    ],
    [
      "an unpinned, unencrypted instance with minor upgrades on",
      "aws:rds/instance:Instance",
      { ...instance, engineVersion: "15", storageEncrypted: false, autoMinorVersionUpgrade: true },
      [
        expect.stringMatching(/^parity-engine-pinned: engineVersion "15": pin a full major\.minor/),
        "parity-engine-pinned: storageEncrypted must be true",
        "parity-engine-pinned: autoMinorVersionUpgrade must be false, so only the program moves the engine version",
      ],
    ],
    [
      "production without its protections",
      "aws:rds/instance:Instance",
      {
        ...instance,
        tags: { "parity:tier": "production" },
        deletionProtection: false,
        skipFinalSnapshot: true,
        backupRetentionPeriod: 1,
      },
      [
        "parity-no-public-copies: production: deletionProtection must be true",
        "parity-no-public-copies: production: skipFinalSnapshot must be false",
        "parity-no-public-copies: production: backupRetentionPeriod must be at least 7 days",
      ],
    ],
  ])("reports %s", (_label, type, props, expected) => {
    expect(violations(type, props)).toEqual(expected);
  });

  it("leaves other engines and resource types alone", () => {
    expect(
      violations("aws:rds/instance:Instance", { engine: "mysql", instanceClass: "db.t4g.small" }),
    ).toEqual([]);
    expect(violations("aws:s3/bucket:Bucket", { publiclyAccessible: true })).toEqual([]);
  });

  it("is mandatory, one policy per guardrail with a unique name", () => {
    const names = parityPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const policy of parityPolicies) expect(policy.enforcementLevel).toBe("mandatory");
  });
});
