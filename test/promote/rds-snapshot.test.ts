// The pre-promotion RDS snapshot and undo --restore through the real SDK client and the loopback
// Query/XML server: tags, waiting for `available`, a throttle retried, an Aurora cluster, the restore
// to a new identifier with the original's network settings, and identifiers per the API reference.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import {
  rdsIdentifierProblem,
  rdsSnapshotIdentifier,
  restoredIdentifier,
  templateCopyName,
} from "../../audit/promote/snapshot/names.ts";
import { restoreRdsSnapshot } from "../../audit/promote/snapshot/rds-restore.ts";
import {
  createRdsSnapshot,
  PROMOTION_TAG,
  readRdsArn,
  SnapshotWaitError,
} from "../../audit/promote/snapshot/rds-snapshot.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { caught } from "../config-keys/caught.ts";

const PROMOTION = "0f8fad5b-d9cb-469f-a165-70867728950e";
const UNDO = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
let server: AwsTestServer;
const aws = () => ({ aws: { endpoint: server.url, retry: FAST_RETRY }, pollMs: 5 });

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({
    rds: {
      snapshotPolls: 3,
      failSnapshots: /^parity-bad/,
      instances: [
        {
          identifier: "shop-production",
          instanceClass: "db.r6g.large",
          engine: "postgres",
          engineVersion: "15.4",
          parameterGroup: "shop-pg15",
          subnetGroup: "shop-private",
          securityGroups: ["sg-0123", "sg-0456"],
        },
      ],
      clusters: [
        {
          identifier: "shop-aurora",
          engine: "aurora-postgresql",
          engineVersion: "15.4",
          parameterGroup: "shop-aurora15",
          members: [{ identifier: "shop-aurora-1", writer: true }],
        },
      ],
    },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.faults.clear();
  server.requests.length = 0;
});

describe("the pre-promotion RDS snapshot", () => {
  it("CreateDBSnapshot tagged with the promotion id, waited on with DescribeDBSnapshots until available", async () => {
    const snapshot = await createRdsSnapshot({ instance: "shop-production" }, "production", PROMOTION, aws());
    expect(snapshot).toMatchObject({
      kind: "rds-db-snapshot",
      id: `parity-${PROMOTION}`,
      arn: `arn:aws:rds:us-east-1:123456789012:snapshot:parity-${PROMOTION}`,
    });
    const [create] = server.requestsFor("rds", "CreateDBSnapshot");
    expect(create?.params).toMatchObject({
      DBSnapshotIdentifier: `parity-${PROMOTION}`,
      DBInstanceIdentifier: "shop-production",
      "Tags.Tag.1.Key": PROMOTION_TAG,
      "Tags.Tag.1.Value": PROMOTION,
    });
    // creating, creating, available: three Describe calls, and the server holds the tag.
    expect(server.requestsFor("rds", "DescribeDBSnapshots")).toHaveLength(3);
    expect(server.rds.dbSnapshots.get(`parity-${PROMOTION}`)).toMatchObject({
      status: "available",
      tags: [{ key: PROMOTION_TAG, value: PROMOTION }],
    });
  });

  it("retries a throttled CreateDBSnapshot and Describe call", async () => {
    const id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    server.faults.add(
      { kind: "throttle", service: "rds", action: "CreateDBSnapshot", times: 2 },
      { kind: "throttle", service: "rds", action: "DescribeDBSnapshots", times: 1 },
    );
    const snapshot = await createRdsSnapshot({ instance: "shop-production" }, "production", id, aws());
    expect(snapshot.id).toBe(`parity-${id}`);
    const creates = server.requestsFor("rds", "CreateDBSnapshot");
    expect(creates.map((request) => request.status)).toEqual([400, 400, 200]);
    expect(server.rds.dbSnapshots.size).toBeGreaterThanOrEqual(2);
  });

  it("takes a cluster snapshot for an Aurora target", async () => {
    const snapshot = await createRdsSnapshot({ cluster: "shop-aurora" }, "production", PROMOTION, aws());
    expect(snapshot).toMatchObject({ kind: "rds-cluster-snapshot", id: `parity-${PROMOTION}` });
    expect(server.requestsFor("rds", "CreateDBClusterSnapshot")[0]?.params).toMatchObject({
      DBClusterSnapshotIdentifier: `parity-${PROMOTION}`,
      DBClusterIdentifier: "shop-aurora",
      "Tags.Tag.1.Key": PROMOTION_TAG,
    });
    expect(server.requestsFor("rds", "DescribeDBClusterSnapshots").length).toBeGreaterThanOrEqual(1);
    expect(await readRdsArn({ cluster: "shop-aurora" }, "production", aws())).toBe(
      "arn:aws:rds:us-east-1:123456789012:cluster:shop-aurora",
    );
  });

  it("gives up after its timeout, and on a snapshot RDS reports failed", async () => {
    const slow = await caught(() =>
      createRdsSnapshot(
        { instance: "shop-production" },
        "production",
        "9a0b5c1e-0000-4000-8000-000000000001",
        {
          ...aws(),
          pollMs: 20,
          timeoutMs: 30,
        },
      ),
    );
    expect(slow).toBeInstanceOf(SnapshotWaitError);
    expect(String(slow)).toMatch(/still creating after/);
    const missing = await caught(() =>
      createRdsSnapshot({ instance: "nope" }, "production", "4e3f2a1b-0000-4000-8000-000000000006", aws()),
    );
    expect(missing).toBeInstanceOf(EnvironmentReadError);
    expect(String(missing)).toContain("DBInstanceNotFound");
    const failed = await caught(() =>
      createRdsSnapshot(
        { instance: "shop-production" },
        "production",
        "bad00000-0000-4000-8000-000000000005",
        aws(),
      ),
    );
    expect(failed).toBeInstanceOf(SnapshotWaitError);
    expect(String(failed)).toContain("is failed");
  });

  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const waiting = createRdsSnapshot(
      { instance: "shop-production" },
      "production",
      "9a0b5c1e-0000-4000-8000-000000000002",
      {
        ...aws(),
        pollMs: 60_000,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 50);
    expect(await caught(() => waiting)).toBeInstanceOf(SnapshotWaitError);
  });
});

describe("undo --restore on RDS", () => {
  it("RestoreDBInstanceFromDBSnapshot to a new identifier with the original's network settings", async () => {
    const snapshot = await createRdsSnapshot(
      { instance: "shop-production" },
      "production",
      "2c1d0e9f-0000-4000-8000-000000000003",
      aws(),
    );
    const restore = await restoreRdsSnapshot(
      { instance: "shop-production" },
      "production",
      snapshot,
      UNDO,
      aws(),
    );
    expect(restore.identifier).toBe("shop-production-undo-7c9e6679");
    expect(restore.original).toBe("shop-production");
    expect(server.rds.restores.at(-1)?.params).toMatchObject({
      Action: "RestoreDBInstanceFromDBSnapshot",
      DBInstanceIdentifier: "shop-production-undo-7c9e6679",
      DBSnapshotIdentifier: snapshot.id,
      DBInstanceClass: "db.r6g.large",
      DBSubnetGroupName: "shop-private",
      "VpcSecurityGroupIds.VpcSecurityGroupId.1": "sg-0123",
      DBParameterGroupName: "shop-pg15",
    });
    // The original is never modified or deleted: no such call was made.
    expect(server.requests.map((request) => request.action)).not.toContainEqual(
      expect.stringMatching(/^(Modify|Delete)/),
    );
    expect(restore.instructions.join("\n")).toContain(
      "aws rds wait db-instance-available --db-instance-identifier shop-production-undo-7c9e6679",
    );
  });

  it("RestoreDBClusterFromSnapshot with the engine RDS requires, and says to add a writer", async () => {
    const snapshot = await createRdsSnapshot(
      { cluster: "shop-aurora" },
      "production",
      "3d2e1f0a-0000-4000-8000-000000000004",
      aws(),
    );
    const restore = await restoreRdsSnapshot({ cluster: "shop-aurora" }, "production", snapshot, UNDO, aws());
    expect(restore).toMatchObject({ kind: "cluster", identifier: "shop-aurora-undo-7c9e6679" });
    expect(server.rds.restores.at(-1)?.params).toMatchObject({
      Engine: "aurora-postgresql",
      SnapshotIdentifier: snapshot.id,
    });
    expect(restore.instructions.join("\n")).toContain(
      "create-db-instance --db-cluster-identifier shop-aurora-undo-7c9e6679",
    );
  });
});

describe("identifiers (RDS API reference; PostgreSQL's 63 bytes)", () => {
  it.each([
    ["parity-1", "dbSnapshot", undefined],
    ["1parity", "dbSnapshot", "must start with a letter"],
    ["parity--x", "dbSnapshot", "two consecutive hyphens"],
    ["parity-", "dbSnapshot", "must not end with a hyphen"],
    ["parity_x", "dbSnapshot", "letters, digits and hyphens"],
    ["a".repeat(64), "clusterSnapshot", "1 to 63"],
    ["a".repeat(255), "dbSnapshot", undefined],
    ["a".repeat(256), "dbSnapshot", "1 to 255"],
  ] as const)("%s as %s", (id, kind, problem) => {
    const found = rdsIdentifierProblem(id, kind);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it("derives valid names from the ids", async () => {
    expect(rdsSnapshotIdentifier(PROMOTION, "clusterSnapshot")).toHaveLength(43);
    const long = restoredIdentifier(`${"x".repeat(50)}-y-------z`, UNDO, "instance");
    expect(long.length).toBeLessThanOrEqual(63);
    expect(rdsIdentifierProblem(long, "instance")).toBeUndefined();
    const copy = templateCopyName("é".repeat(40), PROMOTION);
    expect(Buffer.byteLength(copy)).toBeLessThanOrEqual(63);
    expect(copy).toMatch(/_pp_0f8fad5bd9cb$/);
    expect(await caught(() => rdsSnapshotIdentifier("-bad", "dbSnapshot"))).toBeInstanceOf(ParityInputError);
  });
});
