// The Environment under Pulumi mocks: what each tier registers, and what stays identical.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXED_NOW, testApp, tierArgs } from "./support/fixtures.ts";
import { installMocks, type Recorder, resolved } from "./support/mocks.ts";

let mocks: Recorder;
let components: typeof import("../../components/index.ts");

beforeAll(async () => {
  mocks = await installMocks();
  // Mocks first, then the modules that create resources.
  components = await import("../../components/index.ts");
  // As the provider answers a mostRecent lookup: the snapshot's identifier is the `id`;
  // `dbSnapshotIdentifier` is the (unset) filter argument.
  mocks.answers.set("aws:rds/getSnapshot:getSnapshot", (inputs) => ({
    id: `rds:${String(inputs.dbInstanceIdentifier)}-2026-02-28-03-10`,
    dbInstanceIdentifier: inputs.dbInstanceIdentifier,
  }));
});

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const PARAMETER = "aws:ssm/parameter:Parameter";
const GATE = "pulumi-nodejs:dynamic/parity:MaskingGate";

async function build(name: string, args: import("../../components/environment.ts").EnvironmentArgs) {
  const environment = new components.Environment(name, args);
  await resolved(environment.databaseEndpoint);
  await mocks.settle();
  return environment;
}

function parameterValues(inputs: Record<string, unknown>): Record<string, string> {
  const list = inputs.parameters as { name: string; value: string }[];
  return Object.fromEntries(list.map((p) => [p.name, p.value]));
}

describe.each(["instance", "cluster"] as const)("%s: every tier from one module", (kind) => {
  const app = testApp(kind);
  const built: Record<string, { name: string }> = {};

  beforeAll(async () => {
    for (const tier of ["production", "staging", "preview"] as const) {
      const name = `${kind}-${tier}`;
      await build(name, tierArgs(tier, app));
      built[tier] = { name };
    }
  });

  const databaseType = kind === "instance" ? INSTANCE : CLUSTER;
  const groupType =
    kind === "instance"
      ? "aws:rds/parameterGroup:ParameterGroup"
      : "aws:rds/clusterParameterGroup:ClusterParameterGroup";
  const database = (tier: string) => mocks.one(databaseType, `${kind}-${tier}-`);

  it("pins the same engine and version in every tier, with auto minor upgrades off", () => {
    const engines = ["production", "staging", "preview"].map((tier) => database(tier).inputs);
    for (const inputs of engines) {
      expect(inputs.engine).toBe(kind === "instance" ? "postgres" : "aurora-postgresql");
      expect(inputs.engineVersion).toBe("15.10");
      expect(inputs.allowMajorVersionUpgrade).toBe(false);
    }
    const minorUpgradeHolders =
      kind === "instance"
        ? engines
        : ["production", "staging", "preview"].flatMap((tier) =>
            mocks.ofType(CLUSTER_INSTANCE, `${kind}-${tier}-`).map((r) => r.inputs),
          );
    expect(minorUpgradeHolders.length).toBeGreaterThanOrEqual(3);
    for (const inputs of minorUpgradeHolders) expect(inputs.autoMinorVersionUpgrade).toBe(false);
  });

  it("gives every tier the same parameter values, including the extensions' preload list", () => {
    const values = ["production", "staging", "preview"].map((tier) =>
      parameterValues(mocks.one(groupType, `${kind}-${tier}-`).inputs),
    );
    expect(values[0]).toEqual({
      log_min_duration_statement: "500",
      "rds.force_ssl": "1",
      shared_preload_libraries: "pg_stat_statements",
      work_mem: "16384",
    });
    expect(values[1]).toEqual(values[0]);
    expect(values[2]).toEqual(values[0]);
    const families = ["production", "staging", "preview"].map(
      (tier) => mocks.one(groupType, `${kind}-${tier}-`).inputs.family,
    );
    expect(new Set(families)).toEqual(new Set([kind === "instance" ? "postgres15" : "aurora-postgresql15"]));
  });

  it("writes the same config key set under /<app>/<tier>/ in every tier", () => {
    const keysOf = (tier: string) =>
      mocks
        .ofType(PARAMETER, `${kind}-${tier}-`)
        .map((r) => String(r.inputs.name))
        .sort();
    expect(keysOf("production")).toEqual([
      "/shop/production/database-host",
      "/shop/production/database-name",
      "/shop/production/database-password",
      "/shop/production/database-port",
      "/shop/production/database-user",
      "/shop/production/feature-flags",
      "/shop/production/mail-api-url",
      "/shop/production/payments-api-url",
      "/shop/production/payments-client-secret",
    ]);
    const strip = (names: string[], prefix: string) => names.map((n) => n.slice(prefix.length));
    const productionKeys = strip(keysOf("production"), "/shop/production/");
    expect(strip(keysOf("staging"), "/shop/staging/")).toEqual(productionKeys);
    expect(strip(keysOf("preview"), "/shop/preview/feature-login-page-1cd8fc/")).toEqual(productionKeys);
  });

  it("stores secrets as SecureString and the rest as String", () => {
    const byKey = Object.fromEntries(
      mocks
        .ofType(PARAMETER, `${kind}-staging-`)
        .map((r) => [String(r.inputs.name).split("/").pop(), r.inputs]),
    );
    expect(byKey["payments-client-secret"]?.type).toBe("SecureString");
    expect(byKey["database-password"]?.type).toBe("SecureString");
    expect(byKey["payments-api-url"]?.type).toBe("String");
    // aws.ssm.Parameter wraps every value as a secret in its own constructor; the type is what differs.
    expect(byKey["payments-api-url"]?.value).toMatchObject({ value: "https://api-m.sandbox.paypal.com" });
  });

  it("differs only in the declared tier settings", () => {
    const production = database("production").inputs;
    const staging = database("staging").inputs;
    expect(production.deletionProtection).toBe(true);
    expect(staging.deletionProtection).toBe(false);
    expect(production.backupRetentionPeriod).toBe(14);
    expect(staging.backupRetentionPeriod).toBe(1);
    if (kind === "instance") {
      expect(production.multiAz).toBe(true);
      expect(production.instanceClass).toBe("db.r6g.large");
      expect(staging.instanceClass).toBe("db.t4g.medium");
    } else {
      expect(mocks.ofType(CLUSTER_INSTANCE, `${kind}-production-`)).toHaveLength(2);
      expect(mocks.ofType(CLUSTER_INSTANCE, `${kind}-staging-`)).toHaveLength(1);
    }
  });

  it("protects production: deletion protection, final snapshot, a week of backups, encryption, Pulumi protect", () => {
    const production = database("production");
    expect(production.inputs.deletionProtection).toBe(true);
    expect(production.inputs.skipFinalSnapshot).toBe(false);
    expect(production.inputs.finalSnapshotIdentifier).toBe("shop-production-final");
    expect(production.inputs.backupRetentionPeriod).toBeGreaterThanOrEqual(7);
    expect(production.inputs.storageEncrypted).toBe(true);
    expect(production.options.protect).toBe(true);
    expect(production.options.ignoreChanges).toEqual([]);
  });

  it("never makes a preview publicly accessible", () => {
    const holders =
      kind === "instance" ? [database("preview")] : mocks.ofType(CLUSTER_INSTANCE, `${kind}-preview-`);
    for (const holder of holders) expect(holder.inputs.publiclyAccessible).toBe(false);
  });

  it("copies staging from production with the replacement guards in place", () => {
    const staging = database("staging");
    if (kind === "instance") {
      expect(staging.inputs.snapshotIdentifier).toBe("rds:shop-production-2026-02-28-03-10");
      expect(staging.options.ignoreChanges).toContain("snapshotIdentifier");
      expect(staging.inputs.dbName).toBeUndefined(); // the snapshot brings production's database
    } else {
      expect(staging.inputs.restoreToPointInTime).toEqual({
        sourceClusterIdentifier: "shop-production",
        restoreType: "copy-on-write",
        useLatestRestorableTime: true,
      });
      expect(staging.options.ignoreChanges).toContain("restoreToPointInTime");
    }
    expect(staging.options.protect).toBe(false);
  });

  it("gates the clone's connection details behind the masking run", async () => {
    const gate = mocks.one(GATE, `${kind}-staging-`);
    expect(gate.options.dependencies.some((urn) => urn.includes(`${kind}-staging-db`))).toBe(true);
    expect(gate.inputs.rulesDigest).toMatch(/^[0-9a-f]{64}$/);
    const connection = mocks
      .ofType(PARAMETER, `${kind}-staging-`)
      .filter((r) => /\/database-(host|port|name|user|password)$/.test(String(r.inputs.name)));
    expect(connection).toHaveLength(5);
    // Every connection parameter's value is derived from the gate: registered with it as a dependency.
    for (const parameter of connection) {
      expect(parameter.options.dependencies.some((urn) => urn.endsWith(`::${gate.name}`))).toBe(true);
    }
    // The app's own config does not wait for masking.
    const flags = mocks
      .ofType(PARAMETER, `${kind}-staging-`)
      .find((r) => String(r.inputs.name).endsWith("/feature-flags"));
    expect(flags?.options.dependencies.some((urn) => urn.endsWith(`::${gate.name}`))).toBe(false);
    expect(mocks.ofType(GATE, `${kind}-production-`)).toHaveLength(0);
  });
});

describe("staging restored from a snapshot", () => {
  it("looks up the most recent production snapshot when none is named", async () => {
    mocks.calls.length = 0;
    await build("lookup-staging", tierArgs("staging", testApp("instance")));
    const lookups = mocks.calls.filter((c) => c.token === "aws:rds/getSnapshot:getSnapshot");
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.inputs).toMatchObject({ dbInstanceIdentifier: "shop-production", mostRecent: true });
  });

  it("restores the named snapshot without a lookup", async () => {
    mocks.calls.length = 0;
    await build(
      "named-staging",
      tierArgs("staging", testApp("instance"), {
        clone: { snapshotIdentifier: "shop-production-before-migration-42" },
      }),
    );
    expect(mocks.calls.filter((c) => c.token === "aws:rds/getSnapshot:getSnapshot")).toHaveLength(0);
    expect(mocks.one(INSTANCE, "named-staging-").inputs.snapshotIdentifier).toBe(
      "shop-production-before-migration-42",
    );
  });

  it("refreshes on demand: a new clone generation is a new resource and a new identifier", async () => {
    const environment = await build(
      "refresh-staging",
      tierArgs("staging", testApp("instance"), { clone: { generation: 2 } }),
    );
    const instance = mocks.one(INSTANCE, "refresh-staging-");
    expect(instance.name).toBe("refresh-staging-db-g2-instance");
    expect(instance.inputs.identifier).toBe("shop-staging-g2");
    expect(await resolved(environment.databaseIdentifier)).toBe("shop-staging-g2");
    expect(mocks.one(GATE, "refresh-staging-").name).toBe("refresh-staging-db-g2-masking");
  });
});

describe("previews", () => {
  it("are named from the branch and tagged with it and an expiry seven days after the deploy", async () => {
    const environment = await build("pv-tags", tierArgs("preview", testApp("instance")));
    const instance = mocks.one(INSTANCE, "pv-tags-");
    // `feature/Login-Page` is not its own slug, so the slug carries a hash of the exact branch.
    expect(instance.inputs.identifier).toBe("shop-pv-feature-login-page-1cd8fc");
    expect(instance.inputs.tags).toMatchObject({
      "parity:tier": "preview",
      "parity:stack": "test",
      "parity:branch": "feature/Login-Page",
      "parity:expires-at": "2026-03-08T12:00:00Z",
    });
    for (const parameter of mocks.ofType(PARAMETER, "pv-tags-")) {
      expect(parameter.inputs.tags).toMatchObject({ "parity:expires-at": "2026-03-08T12:00:00Z" });
    }
    expect(await resolved(environment.expiresAt)).toBe("2026-03-08T12:00:00Z");
    expect(await resolved(environment.ssmPath)).toBe("/shop/preview/feature-login-page-1cd8fc/");
  });

  it("keep long branch names within RDS limits, distinct by a hash", async () => {
    const long = "feature/a-very-long-branch-name-that-goes-on-and-on-for-ever-and-ever";
    await build("pv-long-a", tierArgs("preview", testApp("cluster"), { branch: `${long}-one` }));
    await build("pv-long-b", tierArgs("preview", testApp("cluster"), { branch: `${long}-two` }));
    const a = String(mocks.one(CLUSTER, "pv-long-a-").inputs.clusterIdentifier);
    const b = String(mocks.one(CLUSTER, "pv-long-b-").inputs.clusterIdentifier);
    expect(a).not.toBe(b);
    for (const id of [a, b]) expect(id).toMatch(/^shop-pv-feature-a-very-long[a-z0-9-]*-[0-9a-f]{6}$/);
    for (const instance of mocks.ofType(CLUSTER_INSTANCE, "pv-long-")) {
      expect(String(instance.inputs.identifier).length).toBeLessThanOrEqual(63);
    }
  });

  it("honour a custom TTL", async () => {
    const environment = await build(
      "pv-ttl",
      tierArgs("preview", testApp("instance"), { branch: "fix-1", previewTtlDays: 2 }),
    );
    expect(await resolved(environment.expiresAt)).toBe("2026-03-03T12:00:00Z");
  });
});

describe("construction fails before anything is created", () => {
  const cases: [string, () => import("../../components/environment.ts").EnvironmentArgs, RegExp][] = [
    [
      "a missing config key, named",
      () => {
        const args = tierArgs("staging", testApp());
        const { "mail-api-url": _dropped, ...config } = args.config;
        return { ...args, config };
      },
      /staging is missing config keys: mail-api-url/,
    ],
    [
      "an undeclared config key",
      () => {
        const args = tierArgs("production", testApp());
        return { ...args, config: { ...args.config, "legacy-api-url": "https://old" } };
      },
      /not declared: legacy-api-url/,
    ],
    [
      "staging pointed at the production payments API",
      () => {
        const args = tierArgs("staging", testApp());
        return { ...args, config: { ...args.config, "payments-api-url": "https://api-m.paypal.com/v2" } };
      },
      /payments-api-url: "https:\/\/api-m.paypal.com\/v2" points at production/,
    ],
    [
      "staging reading production's parameters",
      () => {
        const args = tierArgs("staging", testApp());
        return { ...args, config: { ...args.config, "feature-flags": "ssm:/shop/production/feature-flags" } };
      },
      /references production's parameter path/,
    ],
    [
      "a clone without masking",
      () => ({ ...tierArgs("preview", testApp()), masking: undefined }),
      /never hands out an unmasked clone/,
    ],
    [
      "a masking rules file that does not exist",
      () => ({
        ...tierArgs("staging", testApp()),
        masking: { rulesFile: "/nonexistent/masking.yaml", key: pulumi.secret("k") },
      }),
      /masking.rulesFile \/nonexistent\/masking.yaml cannot be used \(ENOENT/,
    ],
    [
      "production without deletion protection",
      () => tierArgs("production", { ...testApp(), tiers: { production: { deletionProtection: false } } }),
      /production: deletionProtection must stay on/,
    ],
    [
      "production with three days of backups",
      () => tierArgs("production", { ...testApp(), tiers: { production: { backupRetentionDays: 3 } } }),
      /backupRetentionDays is 3, needs at least 7/,
    ],
    [
      "a public preview",
      () => tierArgs("preview", { ...testApp(), tiers: { preview: { publiclyAccessible: true } } }),
      /preview: publiclyAccessible must stay off/,
    ],
    [
      "a secret given as plain text",
      () => {
        const args = tierArgs("production", testApp());
        return { ...args, config: { ...args.config, "payments-client-secret": "plain" } };
      },
      /payments-client-secret is secret: give it as a Pulumi secret/,
    ],
    [
      "masking production",
      () => ({ ...tierArgs("production", testApp()), masking: { rulesFile: "x", key: "k" } }),
      /never runs on production/,
    ],
  ];

  it.each(cases)("%s", async (label, makeArgs, message) => {
    const before = mocks.resources.length;
    const name = `bad-${label.replace(/[^a-z]+/gi, "-")}`;
    expect(() => new components.Environment(name, makeArgs())).toThrow(message);
    await mocks.settle();
    // Only the Environment component itself was registered (by super()): no database, no parameters.
    expect(mocks.resources.slice(before).filter((r) => r.type !== "parity:index:Environment")).toEqual([]);
  });

  it("reports every problem at once", () => {
    const args = tierArgs("preview", { ...testApp(), tiers: { preview: { publiclyAccessible: true } } });
    const { "feature-flags": _dropped, ...config } = args.config;
    try {
      new components.Environment("bad-many", { ...args, config, masking: undefined });
      expect.unreachable();
    } catch (error) {
      expect((error as { problems: string[] }).problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/publiclyAccessible must stay off/),
          expect.stringMatching(/missing config keys: feature-flags/),
          expect.stringMatching(/unmasked clone/),
        ]),
      );
    }
  });
});

describe("outputs the audit reads", () => {
  it.each(["instance", "cluster"] as const)(
    "%s: every contract output is present and resolved",
    async (kind) => {
      const environment = await build(`out-${kind}`, tierArgs("staging", testApp(kind)));
      const outputs = environment.outputs();
      expect(Object.keys(outputs).sort()).toEqual([
        "awsRegion",
        "databaseEndpoint",
        "databaseEngineVersion",
        "databaseIdentifier",
        "databaseKind",
        "parameterGroupName",
        "ssmPath",
      ]);
      const values = Object.fromEntries(
        await Promise.all(
          Object.entries(outputs).map(async ([key, output]) => [key, await resolved(output)] as const),
        ),
      );
      expect(values).toMatchObject({
        ssmPath: "/shop/staging/",
        databaseIdentifier: "shop-staging",
        databaseKind: kind,
        databaseEngineVersion: "15.10",
        parameterGroupName:
          kind === "instance" ? "shop-staging-postgres15" : "shop-staging-aurora-postgresql15",
        awsRegion: "eu-west-1",
      });
      expect(values.databaseEndpoint).toMatch(/^shop-staging\.[a-z0-9.-]+\.rds\.amazonaws\.com:5432$/);
    },
  );

  it("uses a fixed clock only when given one", () => {
    expect(FIXED_NOW.toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });
});

describe("values that are outputs", () => {
  it("pass through the resolve-time production check when they point at a sandbox", async () => {
    const args = tierArgs("staging", testApp("instance"));
    await build("out-values", {
      ...args,
      config: { ...args.config, "mail-api-url": pulumi.output("https://sandbox.postmark.test/v1") },
    });
    const mail = mocks
      .ofType(PARAMETER, "out-values-")
      .find((r) => String(r.inputs.name).endsWith("/mail-api-url"));
    expect(mail?.inputs.value).toMatchObject({ value: "https://sandbox.postmark.test/v1" });
  });
});

describe("the smaller components on their own", () => {
  it("ParameterGroup applies static parameters at the next reboot and the rest immediately", async () => {
    new components.ParameterGroup("solo-params", {
      kind: "instance",
      groupName: "solo-postgres15",
      family: "postgres15",
      parameters: { shared_preload_libraries: "pg_stat_statements", work_mem: "8192" },
      tags: {},
    });
    await mocks.settle();
    const group = mocks.one("aws:rds/parameterGroup:ParameterGroup", "solo-params");
    expect(group.inputs.parameters).toEqual([
      { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
      { name: "work_mem", value: "8192", applyMethod: "immediate" },
    ]);
  });

  it("SsmConfig refuses a value set missing a declared key, naming it", () => {
    const connection = {
      "database-host": "h",
      "database-port": "5432",
      "database-name": "n",
      "database-user": "u",
      "database-password": pulumi.secret("p"),
    };
    expect(
      () =>
        new components.SsmConfig("solo-config", {
          path: "/shop/sandbox/",
          keys: { a: { description: "a" }, b: { description: "b" } },
          values: { a: "1" },
          connection,
          tags: {},
        }),
    ).toThrow(/missing config keys: b/);
    expect(
      () =>
        new components.SsmConfig("solo-config-path", {
          path: "shop/sandbox",
          keys: {},
          values: {},
          connection,
          tags: {},
        }),
    ).toThrow(/path "shop\/sandbox" must start and end with "\/"/);
  });

  it("Database refuses a snapshot restore for Aurora", () => {
    expect(
      () =>
        new components.Database("solo-db", {
          kind: "cluster",
          identifier: "solo",
          engine: components.engineSpec({ kind: "cluster", engineVersion: "15.10" }),
          settings: components.TIER_SETTINGS.staging,
          parameterGroupName: "g",
          databaseName: "d",
          masterUsername: "u",
          masterPassword: pulumi.secret("p"),
          source: { from: "snapshot", productionIdentifier: "prod" },
          tags: {},
        }),
    ).toThrow(
      expect.objectContaining({
        name: "ParityInputError",
        message: expect.stringMatching(
          /source.from "snapshot" is for RDS instances; Aurora clusters are cloned/,
        ),
      }),
    );
  });
});
