// `npm run demo -- promote`, end to end: the planted change promoted, recorded, undone and the log
// verified, and nothing left behind, also when interrupted.
import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { interruptWhen, startDemo } from "./support.ts";

describe("npm run demo -- promote", () => {
  it("previews, applies, records, undoes and verifies, exits 0 and removes everything", async () => {
    const demo = await startDemo(["promote"]);
    const code = await demo.exit;
    const output = demo.output();
    expect(output, output).toMatch(/✔ promoted, recorded, undone and verified in \d+\.\ds/);
    expect(code).toBe(0);
    expect(output).toMatch(/plan sha256: [0-9a-f]{64}/);
    expect(output).toContain("+ LOYALTY_PROGRAM_ENABLED  (plain, from dotenv:staging.env)");
    expect(output).not.toContain("LOYALTY_PROGRAM_ENABLED=true");
    expect(output).toContain("production's customers now: created_at, email, id, loyalty_tier");
    expect(output).toContain("back to its pre-promotion state");
    expect(output).toMatch(/✔ 000002\.json undo/);
    // The preview is printed before anything is applied.
    expect(output.indexOf("plan sha256:")).toBeLessThan(output.indexOf("applying 2 statement(s)"));
    expect(await readdir(demo.parent)).toEqual([]);
  });

  it("cleans up when interrupted with Ctrl-C", async () => {
    const demo = await startDemo(["promote"]);
    await interruptWhen(demo, "loading the shop", "SIGINT");
    expect(await demo.exit, demo.output()).toBe(130);
    expect(demo.output()).toContain("SIGINT: stopping the demo server");
    expect(await readdir(demo.parent)).toEqual([]);
  });
});
