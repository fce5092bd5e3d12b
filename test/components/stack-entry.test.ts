// stacks/index.ts as Pulumi runs it: importing the module builds the stack, and its exports are
// the stack outputs under the names the audit's discovery reads.
import { join } from "node:path";
import { expect, it } from "vitest";
import { installMocks, resolved } from "./support/mocks.ts";
import { loadStackConfig } from "./support/stack-config.ts";

it("exports every contract output for the staging stack", async () => {
  const mocks = await installMocks({ project: "parity", stack: "staging" });
  mocks.answers.set("aws:rds/getSnapshot:getSnapshot", () => ({
    id: "s",
    dbSnapshotIdentifier: "rds:shop-production-latest",
  }));
  loadStackConfig(join(import.meta.dirname, "../../stacks/Pulumi.staging.yaml"));
  const stack = await import("../../stacks/index.ts");
  const outputs = {
    ssmPath: await resolved(stack.ssmPath),
    databaseIdentifier: await resolved(stack.databaseIdentifier),
    databaseKind: await resolved(stack.databaseKind),
    databaseEndpoint: await resolved(stack.databaseEndpoint),
    databaseEngineVersion: await resolved(stack.databaseEngineVersion),
    parameterGroupName: await resolved(stack.parameterGroupName),
    awsRegion: await resolved(stack.awsRegion),
  };
  expect(outputs).toEqual({
    ssmPath: "/shop/staging/",
    databaseIdentifier: "shop-staging-g1",
    databaseKind: "instance",
    databaseEndpoint: expect.stringMatching(/^shop-staging-g1\..*\.rds\.amazonaws\.com:5432$/),
    databaseEngineVersion: "15.10",
    parameterGroupName: "shop-staging-postgres15",
    awsRegion: "eu-west-1",
  });
  expect(await resolved(stack.expiresAt)).toBeUndefined();
  // The preview reaper's guard reads `tier`; `branch` is for previews only.
  expect(stack.tier).toBe("staging");
  expect(stack.branch).toBeUndefined();
  await mocks.settle();
  expect(mocks.calls.map((c) => c.token).sort()).toEqual([
    "aws:index/getRegion:getRegion",
    "aws:rds/getSnapshot:getSnapshot",
  ]);
});
