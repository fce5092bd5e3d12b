// A promotion to a target with an RDS identity, end to end: the schema is real PostgreSQL, the RDS
// API the loopback server. The snapshot is an RDS one (CreateDBSnapshot, tagged, waited on), the
// record names the instance's ARN, and undo --restore restores to a new instance and says how to
// switch over, never touching the original.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadParityConfig } from "../../audit/parity-config/load.ts";
import { promote } from "../../audit/promote/promote.ts";
import { PROMOTION_TAG } from "../../audit/promote/snapshot/rds-snapshot.ts";
import { undo } from "../../audit/promote/undo.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { testedMajors } from "../support/databases.ts";
import { BASE, columnsOf, databasesLike, makePair, memoryLog, STAGING_CHANGE } from "./support.ts";

const major = testedMajors().at(-1) ?? 15;
let server: AwsTestServer;

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({
    rds: {
      snapshotPolls: 2,
      instances: [
        {
          identifier: "shop-production",
          instanceClass: "db.r6g.large",
          engine: "postgres",
          engineVersion: "15.4",
        },
      ],
    },
  });
});
afterAll(() => server.close());

describe("promote to an RDS target", () => {
  it("takes a tagged RDS snapshot, records the ARN, and undo --restore creates a new instance", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const { readFile, writeFile } = await import("node:fs/promises");
    const text = await readFile(pair.configFile, "utf8");
    await writeFile(
      pair.configFile,
      text.replace(
        "  production:\n",
        `  production:\n    rds: { instance: shop-production, region: us-east-1, endpoint: "${server.url}" }\n`,
      ),
    );
    const config = await loadParityConfig(pair.configFile);
    const log = memoryLog();
    const rds = { aws: { retry: FAST_RETRY }, pollMs: 5 };
    server.faults.add({ kind: "throttle", service: "rds", action: "DescribeDBSnapshots", times: 1 });
    const result = await promote({ config, from: "staging", to: "production", log, rds });
    expect(result.reasons).toEqual([]);
    expect(result.status).toBe("applied");
    const body = log.records[0]?.body;
    expect(body?.snapshot).toMatchObject({
      kind: "rds-db-snapshot",
      id: `parity-${body?.id}`,
      arn: `arn:aws:rds:us-east-1:123456789012:snapshot:parity-${body?.id}`,
    });
    expect(body?.to.rdsArn).toBe("arn:aws:rds:us-east-1:123456789012:db:shop-production");
    expect(server.rds.dbSnapshots.get(`parity-${body?.id}`)?.tags).toEqual([
      { key: PROMOTION_TAG, value: body?.id },
    ]);
    // No template copy on an RDS target: the snapshot is RDS's.
    expect(await databasesLike(major, pair.production.name)).toEqual([]);
    expect(await columnsOf(pair.production.url)).toContain("loyalty_tier");

    const undone = await undo({ config, recordId: body?.id as string, log, restore: true, rds });
    expect(undone.status).toBe("applied");
    expect(undone.rdsRestore?.identifier).toMatch(/^shop-production-undo-[0-9a-f]{8}$/);
    expect(server.rds.restores).toEqual([
      expect.objectContaining({
        action: "RestoreDBInstanceFromDBSnapshot",
        identifier: undone.rdsRestore?.identifier,
      }),
    ]);
    expect(undone.rdsRestore?.instructions.join("\n")).toContain("shop-production is untouched");
    expect(log.records[1]?.body).toMatchObject({
      kind: "undo",
      undoMethod: "restore",
      snapshot: { kind: "rds-db-snapshot" },
    });
    // The database itself is not touched by an RDS restore: the new instance is where the old schema is.
    expect(await columnsOf(pair.production.url)).toContain("loyalty_tier");
  });
});
