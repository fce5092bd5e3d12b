// Run with `node --import tsx`: builds a preview Environment under mocks whose masking gate fails
// to create (as a failed masking run fails it in `pulumi up`) and prints every resource the engine
// received as JSON. A child process, because the failure rejects inside the Pulumi runtime the way
// it does in a real `up` (the program fails), which a test runner would report as unhandled.
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "./mocks.ts";

process.on("unhandledRejection", () => {
  // Expected: the gate's failure propagates to everything derived from it.
});
const mocks = await installMocks({ project: "parity", stack: "preview-q-fail" });
mocks.failCreate.set("q-fail-db-masking", "masking worker exited with code 1: relation does not exist");
mocks.answers.set("aws:rds/getSnapshot:getSnapshot", () => ({ id: "rds:shop-production-2026-02-28" }));
const { Environment } = await import("../../../components/index.ts");
const { FIXED_NOW, testApp, tierArgs } = await import("./fixtures.ts");
new Environment(
  "q-fail",
  tierArgs("preview", testApp("instance"), { branch: "q-fail", now: () => FIXED_NOW }),
);
await mocks.settle();
process.stdout.write(JSON.stringify(mocks.resources));
void pulumi;
