// What a real `pulumi up` would send, for the paths that used to fail or be unsafe there: an Aurora
// clone at a point in time, an Aurora preview, the clone's quarantine and a failing masking gate,
// colliding branches, and a rules change reaching an existing clone's gate. Recorded inputs only.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXED_NOW, testApp, tierArgs } from "./support/fixtures.ts";
import { installMocks, type RecordedResource, type Recorder, resolved } from "./support/mocks.ts";

let mocks: Recorder;
let components: typeof import("../../components/index.ts");

beforeAll(async () => {
  mocks = await installMocks();
  components = await import("../../components/index.ts");
  mocks.answers.set("aws:rds/getSnapshot:getSnapshot", (inputs) => ({
    id: `rds:${String(inputs.dbInstanceIdentifier)}-2026-02-28-03-10`,
  }));
});

const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const INSTANCE = "aws:rds/instance:Instance";
const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const PARAMETER = "aws:ssm/parameter:Parameter";
const GATE = "pulumi-nodejs:dynamic/parity:MaskingGate";

async function build(name: string, args: import("../../components/environment.ts").EnvironmentArgs) {
  const environment = new components.Environment(name, args);
  await resolved(environment.databaseIdentifier);
  await mocks.settle();
  return environment;
}

describe("Aurora restore modes", () => {
  it("clones copy-on-write at the latest restorable time, sending no restoreToTime", async () => {
    await build("rt-latest", tierArgs("staging", testApp("cluster")));
    expect(mocks.one(CLUSTER, "rt-latest-").inputs.restoreToPointInTime).toEqual({
      sourceClusterIdentifier: "shop-production",
      restoreType: "copy-on-write",
      useLatestRestorableTime: true,
    });
  });

  it("restores a point in time as a full copy, with restoreToTime and no useLatestRestorableTime", async () => {
    await build(
      "rt-time",
      tierArgs("staging", testApp("cluster"), { clone: { restoreToTime: "2026-02-28T23:45:00Z" } }),
    );
    expect(mocks.one(CLUSTER, "rt-time-").inputs.restoreToPointInTime).toEqual({
      sourceClusterIdentifier: "shop-production",
      restoreType: "full-copy",
      restoreToTime: "2026-02-28T23:45:00Z",
    });
  });

  it.each([
    ["2026-02-28 23:45", /is not a UTC time like/],
    ["2026-02-28T23:45:00+01:00", /is not a UTC time like/],
    ["2026-03-02T00:00:00Z", /is not in the past/],
  ])("refuses restoreToTime %j at plan time, naming the setting", (restoreToTime, message) => {
    const { problems } = components.planEnvironment(
      "env",
      tierArgs("staging", testApp("cluster"), { clone: { restoreToTime } }),
      FIXED_NOW,
    );
    expect(problems).toEqual([expect.stringMatching(/^staging: clone\.restoreToTime /)]);
    expect(problems[0]).toMatch(message);
  });
});

describe("instance classes per kind", () => {
  it("gives an Aurora preview db.t4g.medium (Aurora has no db.t4g.small) and an instance preview db.t4g.small", async () => {
    await build("cls-aurora", tierArgs("preview", testApp("cluster"), { branch: "cls-aurora" }));
    await build("cls-rds", tierArgs("preview", testApp("instance"), { branch: "cls-rds" }));
    const aurora = mocks.ofType(CLUSTER_INSTANCE, "cls-aurora-");
    expect(aurora.map((instance) => instance.inputs.instanceClass)).toEqual(["db.t4g.medium"]);
    expect(mocks.one(INSTANCE, "cls-rds-").inputs.instanceClass).toBe("db.t4g.small");
    for (const kind of ["instance", "cluster"] as const) {
      for (const tier of ["production", "staging", "preview"] as const) {
        const settings = components.resolveTierSettings(tier, undefined, kind);
        expect(components.instanceClassProblem(kind, settings.instanceClass, "x")).toBeUndefined();
      }
    }
  });

  it.each([
    [
      "cluster",
      "db.t4g.small",
      /app\.tiers\.preview\.instanceClass: "db\.t4g\.small" is not a Aurora PostgreSQL instance class \(Aurora PostgreSQL offers db\.t4g only in db\.t4g\.medium, db\.t4g\.large\)/,
    ],
    ["cluster", "db.m6g.large", /"db\.m6g\.large" is not a Aurora PostgreSQL instance class/],
    ["instance", "db.r6g.medium", /"db\.r6g\.medium" is not a RDS for PostgreSQL instance class/],
    ["instance", "r6g.large", /"r6g\.large" is not a RDS for PostgreSQL instance class/],
  ] as const)("refuses %s class %s, naming the override", (kind, instanceClass, message) => {
    const app = { ...testApp(kind), tiers: { preview: { instanceClass } } };
    const { plan, problems } = components.planEnvironment("env", tierArgs("preview", app), FIXED_NOW);
    expect(plan).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it("refuses an engine major AWS no longer creates, and a cluster of 17 instances", () => {
    const app = {
      ...testApp("cluster"),
      database: { ...testApp("cluster").database, engineVersion: "11.22" },
      tiers: { staging: { clusterInstanceCount: 17 } },
    };
    const { problems } = components.planEnvironment("env", tierArgs("staging", app), FIXED_NOW);
    expect(problems).toEqual([
      expect.stringMatching(
        /^app\.database\.engineVersion "11\.22": Aurora PostgreSQL creates PostgreSQL 13, 14/,
      ),
      "app.tiers.staging.clusterInstanceCount: must be a whole number from 1 to 16 (got 17)",
    ]);
  });
});

describe("parameter groups on Aurora cluster instances", () => {
  it("puts every cluster instance on the app's own DB parameter group of the pinned family", async () => {
    await build("pg-aurora", tierArgs("production", testApp("cluster")));
    const group = mocks.one("aws:rds/parameterGroup:ParameterGroup", "pg-aurora-");
    expect(group.inputs).toMatchObject({
      name: "shop-production-aurora-postgresql15-instance",
      family: "aurora-postgresql15",
    });
    const instances = mocks.ofType(CLUSTER_INSTANCE, "pg-aurora-");
    expect(instances).toHaveLength(2);
    for (const instance of instances) {
      expect(instance.inputs.dbParameterGroupName).toBe("shop-production-aurora-postgresql15-instance");
    }
    expect(mocks.one("aws:rds/clusterParameterGroup:ClusterParameterGroup", "pg-aurora-").inputs.family).toBe(
      "aurora-postgresql15",
    );
  });
});

describe("the clone's quarantine", () => {
  it("creates the clone in a group that admits only the runner, and admits the app only after masking", async () => {
    await build("q-open", tierArgs("staging", testApp("instance")));
    const group = mocks.one(GROUP, "q-open-");
    expect(group.inputs).toMatchObject({ name: "shop-staging-quarantine", vpcId: "vpc-0abc" });
    expect(group.inputs.ingress).toBeUndefined(); // rules are separate resources, never inline
    const instance = mocks.one(INSTANCE, "q-open-");
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([`${group.name}-id`]);
    const rules = mocks.ofType(RULE, "q-open-");
    const runner = rules.filter((rule) => rule.inputs.cidrIpv4 === "10.0.12.0/24");
    const app = rules.filter((rule) => rule.inputs.referencedSecurityGroupId === "sg-app");
    expect(runner).toHaveLength(1);
    expect(app).toHaveLength(1);
    for (const rule of rules) {
      expect(rule.inputs).toMatchObject({
        securityGroupId: `${group.name}-id`,
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
      });
    }
    const gate = mocks.one(GATE, "q-open-");
    const afterGate = (urns: string[]) => urns.some((urn) => urn.endsWith(`::${gate.name}`));
    expect(afterGate(app[0]?.options.dependencies ?? [])).toBe(true);
    expect(afterGate(runner[0]?.options.dependencies ?? [])).toBe(false);
  });

  it("leaves the clone quarantined when the masking run fails: no app rule, no connection details, expiry tags in place", async () => {
    const { spawnSync } = await import("node:child_process");
    const script = join(import.meta.dirname, "support/failing-gate-program.ts");
    // The program fails (exit 1, Pulumi's report of the promises the failure left pending), as
    // `pulumi up` fails; what matters is what the engine received before that.
    const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" });
    const recorded = JSON.parse(run.stdout) as RecordedResource[];
    const ofType = (type: string) => recorded.filter((resource) => resource.type === type);
    expect(ofType(GATE)).toHaveLength(1); // attempted, failed
    expect(ofType(RULE).map((rule) => rule.inputs.cidrIpv4 ?? rule.inputs.referencedSecurityGroupId)).toEqual(
      ["10.0.12.0/24"],
    );
    const connection = ofType(PARAMETER).filter((p) =>
      /\/database-(host|port|name|user|password)$/.test(String(p.inputs.name)),
    );
    expect(connection).toEqual([]);
    // A failed first `up` still tags what it created with the expiry the reaper needs.
    for (const type of [INSTANCE, GROUP]) {
      expect(ofType(type)[0]?.inputs.tags).toMatchObject({
        "parity:tier": "preview",
        "parity:expires-at": "2026-03-08T12:00:00Z",
        "parity:stack": "preview-q-fail",
      });
    }
  });

  it("gives the gate a connect timeout and a deadline, and no machine-specific path", async () => {
    await build(
      "q-limits",
      tierArgs("staging", testApp("instance"), {
        masking: {
          rulesFile: tierArgs("staging", testApp()).masking?.rulesFile ?? "",
          key: pulumi.secret("k"),
          connectTimeoutSeconds: 5,
          deadlineMinutes: 20,
        },
      }),
    );
    const gate = mocks.one(GATE, "q-limits-");
    expect(gate.inputs).toMatchObject({ connectTimeoutMs: 5000, deadlineMs: 1_200_000 });
    expect(gate.inputs.command).toEqual(["node", "--import", "tsx", "components/masking-worker.ts"]);
    expect(String(gate.inputs.cwd)).not.toMatch(/^\//);
    expect(String(gate.inputs.rulesFile)).not.toMatch(/^\//);
  });

  it.each([
    [{ securityGroupIds: ["sg-app"] }, /network\.securityGroupIds would open the clone before masking/],
    [{ maskingRunner: { cidrBlocks: ["0.0.0.0/0"] } }, /admits the whole internet/],
    [{ maskingRunner: {} }, /network\.maskingRunner needs cidrBlocks or securityGroupId/],
    [{ vpcId: undefined }, /network\.vpcId is required/],
  ])("refuses a quarantine that would not hold: %j", (change, message) => {
    const args = tierArgs("staging", testApp("instance"));
    const { problems } = components.planEnvironment(
      "env",
      { ...args, network: { ...args.network, ...change } },
      FIXED_NOW,
    );
    expect(problems).toEqual([expect.stringMatching(message)]);
  });
});

describe("two branches that slug alike", () => {
  it("get two previews: different identifiers, SSM paths and parameter groups", async () => {
    await build("br-a", tierArgs("preview", testApp("instance"), { branch: "Feature/Login" }));
    await build("br-b", tierArgs("preview", testApp("instance"), { branch: "feature-login" }));
    const a = mocks.one(INSTANCE, "br-a-").inputs;
    const b = mocks.one(INSTANCE, "br-b-").inputs;
    expect(b.identifier).toBe("shop-pv-feature-login");
    expect(a.identifier).toMatch(/^shop-pv-feature-login-[0-9a-f]{6}$/);
    const paths = (prefix: string) => mocks.ofType(PARAMETER, prefix).map((p) => String(p.inputs.name));
    expect(
      paths("br-a-").every((path) => path.startsWith(`/shop/preview/${String(a.identifier).slice(8)}/`)),
    ).toBe(true);
    expect(paths("br-b-").every((path) => path.startsWith("/shop/preview/feature-login/"))).toBe(true);
    const groupName = (prefix: string) =>
      mocks.one("aws:rds/parameterGroup:ParameterGroup", prefix).inputs.name;
    expect(groupName("br-a-")).not.toBe(groupName("br-b-"));
    expect(a.tags).toMatchObject({ "parity:branch": "Feature/Login" });
  });
});

describe("rules reaching an existing clone", () => {
  it("hands the gate every ruled column with its rule, so a new rule is an update that masks it", async () => {
    await build("rules-cols", tierArgs("staging", testApp("instance")));
    const gate = mocks.one(GATE, "rules-cols-");
    expect(gate.inputs.ruledColumns).toEqual({ "public.customers.email": "email" });
    expect(gate.options.replaceOnChanges).toEqual([]);
  });
});

describe("no production snapshot yet", () => {
  it("fails the lookup with what to do, naming parity:snapshotIdentifier", async () => {
    const answer = mocks.answers.get("aws:rds/getSnapshot:getSnapshot");
    mocks.answers.set("aws:rds/getSnapshot:getSnapshot", () => {
      throw new Error("Your query returned no results. Please change your search criteria and try again.");
    });
    try {
      await expect(
        components.latestSnapshotId({ productionIdentifier: "shop-production", snapshotType: "manual" }),
      ).rejects.toThrow(
        /^no manual snapshot of shop-production to restore yet.*; take one \(aws rds create-db-snapshot --db-instance-identifier shop-production .*\) or set parity:snapshotIdentifier$/,
      );
    } finally {
      if (answer) mocks.answers.set("aws:rds/getSnapshot:getSnapshot", answer);
    }
  });

  it("reads the snapshot's id, which a mostRecent lookup always returns", async () => {
    await expect(components.latestSnapshotId({ productionIdentifier: "shop-production" })).resolves.toBe(
      "rds:shop-production-2026-02-28-03-10",
    );
  });
});
