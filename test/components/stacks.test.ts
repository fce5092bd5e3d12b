// The stack program with each committed stack file: the files are complete for the declared key
// set, and each builds its tier.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, type Recorder, resolved } from "./support/mocks.ts";
import { loadStackConfig } from "./support/stack-config.ts";

const STACKS = join(import.meta.dirname, "../../stacks");
let mocks: Recorder;
let program: typeof import("../../stacks/program.ts");

beforeAll(async () => {
  mocks = await installMocks({ project: "parity", stack: "test" });
  program = await import("../../stacks/program.ts");
  // As the provider answers a mostRecent lookup: the snapshot's identifier is the `id`;
  // `dbSnapshotIdentifier` is the (unset) filter argument.
  mocks.answers.set("aws:rds/getSnapshot:getSnapshot", (inputs) => ({
    id: `rds:${String(inputs.dbInstanceIdentifier)}-2026-03-01-03-05`,
  }));
});

const now = () => new Date("2026-03-01T09:00:00Z");

async function outputsOf(environment: import("../../components/environment.ts").Environment) {
  const entries = await Promise.all(
    Object.entries(environment.outputs()).map(
      async ([key, output]) => [key, await resolved(output)] as const,
    ),
  );
  await mocks.settle();
  return Object.fromEntries(entries);
}

describe("Pulumi.production.yaml", () => {
  it("builds a protected production database and its config", async () => {
    loadStackConfig(join(STACKS, "Pulumi.production.yaml"));
    const outputs = await outputsOf(program.buildStack({ now }));
    expect(outputs).toMatchObject({
      ssmPath: "/shop/production/",
      databaseIdentifier: "shop-production",
      databaseKind: "instance",
      databaseEngineVersion: "15.10",
      parameterGroupName: "shop-production-postgres15",
      awsRegion: "eu-west-1",
    });
    const instance = mocks.one("aws:rds/instance:Instance", "shop-production-");
    expect(instance.inputs).toMatchObject({
      deletionProtection: true,
      dbSubnetGroupName: "shop-private-db",
      vpcSecurityGroupIds: ["sg-0a1b2c3d4e5f60001"],
      tags: { "cost-center": "shop-platform", "parity:tier": "production" },
    });
    expect(mocks.ofType("pulumi-nodejs:dynamic/parity:MaskingGate", "shop-production-")).toHaveLength(0);
  });
});

describe("Pulumi.staging.yaml", () => {
  it("builds a masked restore of production's latest snapshot, generation 1", async () => {
    loadStackConfig(join(STACKS, "Pulumi.staging.yaml"));
    const outputs = await outputsOf(program.buildStack({ now }));
    expect(outputs).toMatchObject({ ssmPath: "/shop/staging/", databaseIdentifier: "shop-staging-g1" });
    const instance = mocks.one("aws:rds/instance:Instance", "shop-staging-");
    expect(instance.inputs.snapshotIdentifier).toBe("rds:shop-production-2026-03-01-03-05");
    expect(instance.options.ignoreChanges).toContain("snapshotIdentifier");
    const gate = mocks.one("pulumi-nodejs:dynamic/parity:MaskingGate", "shop-staging-");
    expect(String(gate.inputs.rulesFile)).toMatch(/stacks\/masking\.yaml$/);
  });

  it("has exactly production's config keys", async () => {
    const keys = (file: string) =>
      Object.keys(loadStackConfig(join(STACKS, file)))
        .filter((key) => key.startsWith("shop:"))
        .sort();
    expect(keys("Pulumi.staging.yaml")).toEqual(keys("Pulumi.production.yaml"));
    expect(keys("Pulumi.preview.yaml.example")).toEqual(keys("Pulumi.production.yaml"));
  });
});

describe("Pulumi.preview.yaml.example", () => {
  it("builds a preview for the branch CI sets, expiring seven days after the deploy", async () => {
    loadStackConfig(join(STACKS, "Pulumi.preview.yaml.example"), {
      "parity:branch": "feature/checkout-redesign",
    });
    const environment = program.buildStack({ now });
    const outputs = await outputsOf(environment);
    expect(outputs).toMatchObject({
      ssmPath: "/shop/preview/feature-checkout-redesign-f74ab8/",
      databaseIdentifier: "shop-pv-feature-checkout-redesign-f74ab8",
    });
    expect(await resolved(environment.expiresAt)).toBe("2026-03-08T09:00:00Z");
    expect(mocks.one("aws:rds/instance:Instance", "shop-preview-").inputs.publiclyAccessible).toBe(false);
    const group = mocks.one("aws:ec2/securityGroup:SecurityGroup", "shop-preview-");
    expect(group.inputs.vpcId).toBe("vpc-0a1b2c3d4e5f60000");
    expect(mocks.one("aws:rds/instance:Instance", "shop-preview-").inputs.vpcSecurityGroupIds).toEqual([
      `${group.name}-id`,
    ]);
  });
});

describe("stack config mistakes", () => {
  it.each([
    ["a missing app key", { "shop:log-level": undefined }, /missing config keys: log-level/],
    ["an undeclared app key", { "shop:legacy-url": "https://old" }, /not declared: legacy-url/],
    ["an unknown tier", { "parity:tier": "qa" }, /parity:tier "qa" is not one of/],
    ["no master password", { "parity:masterPassword": undefined }, /parity:masterPassword is missing/],
    ["no masking key", { "parity:maskingKey": undefined }, /parity:maskingKey is missing/],
    ["no masking rules", { "parity:maskingRules": undefined }, /parity:maskingRules is missing/],
    [
      "a bad snapshot type",
      { "parity:snapshotType": "shared" },
      /parity:snapshotType "shared" must be automated or manual/,
    ],
    [
      "an app secret stored in plain text in the stack file",
      { "shop:session-secret": "plain-text-in-git" },
      /shop:session-secret is stored in plain text in the stack file; it is a secret: pulumi config set --secret shop:session-secret/,
    ],
    [
      "the master password stored in plain text",
      { "parity:masterPassword": "hunter2" },
      /parity:masterPassword is stored in plain text in the stack file/,
    ],
    [
      "a typo in a parity key",
      { "parity:cloneGenration": "2" },
      /parity:cloneGenration is not a parity setting \(did you mean parity:cloneGeneration\?\)/,
    ],
    [
      "an unknown parity key with nothing close",
      { "parity:colour": "blue" },
      /parity:colour is not a parity setting$/m,
    ],
    [
      "staging on production's payments API",
      { "shop:payments-api-url": "https://api-m.paypal.com" },
      /points at production/,
    ],
  ])("%s fails with a message naming it", (_label, changes, message) => {
    const config = loadStackConfig(join(STACKS, "Pulumi.staging.yaml"));
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete config[key];
      else config[key] = value;
    }
    const secretKeys = Object.keys(config).filter((key) => config[key]?.startsWith("test-secret-for-"));
    pulumi.runtime.setAllConfig(config, secretKeys);
    expect(() => program.buildStack({ now })).toThrow(message);
  });
});

describe("stack-config helpers", () => {
  it("suggests the closest parity key only when it is close", async () => {
    const { PARITY_KEYS } = await import("../../stacks/stack-config.ts");
    const { closestName: suggestKey } = await import("../../audit/core/did-you-mean.ts");
    expect(suggestKey("maskingrules", PARITY_KEYS)).toBe("maskingRules");
    expect(suggestKey("snapshotIdentifer", PARITY_KEYS)).toBe("snapshotIdentifier");
    expect(suggestKey("vpc", PARITY_KEYS)).toBe("vpcId");
    expect(suggestKey("region", PARITY_KEYS)).toBeUndefined();
  });

  it("asks the engine's secret-key list, whatever API reads the value", async () => {
    const { plainTextSecrets } = await import("../../stacks/stack-config.ts");
    pulumi.runtime.setAllConfig({ "shop:a": "x", "shop:b": "y" }, ["shop:a"]);
    // requireSecret would wrap both as secrets; only the engine knows "shop:b" is plain in the file.
    expect(plainTextSecrets(["shop:a", "shop:b"], ["shop:a", "shop:b", "shop:absent"])).toEqual([
      "shop:b is stored in plain text in the stack file; it is a secret: pulumi config set --secret shop:b <value>",
    ]);
  });
});
