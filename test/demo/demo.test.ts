// The README's first command, end to end: real servers, the real checks, the planted drift found,
// and nothing left behind, also when interrupted.
import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { interruptWhen, startDemo } from "./support.ts";

describe("npm run demo", () => {
  it("finds every planted drift, exits 0 and removes its servers and files", async () => {
    const demo = await startDemo();
    const code = await demo.exit;
    const output = demo.output();
    expect(output, output).toContain("✔ all 9 planted drifts found");
    expect(code).toBe(0);
    expect(output).toMatch(/staging\s+drift/);
    expect(output).toContain("public.orders_customer_placed_idx");
    expect(output).toContain("public.customers.legacy_loyalty_points");
    expect(output).toContain("extension citext is at version 1.4 in staging, 1.6 in production");
    expect(output).toContain("ANALYTICS_DATABASE_URL");
    expect(output).toMatch(/public\.customers\.phone .* data\/masking-coverage/);
    expect(output).toContain("1 finding hidden by the ignore list");
    expect(output).toContain("What you are looking at");
    expect(await readdir(demo.parent)).toEqual([]);
  });

  it("cleans up when interrupted with Ctrl-C", async () => {
    const demo = await startDemo();
    await interruptWhen(demo, "loading the shop schema", "SIGINT");
    expect(await demo.exit, demo.output()).toBe(130);
    expect(demo.output()).toContain("SIGINT: stopping the demo servers");
    expect(await readdir(demo.parent)).toEqual([]);
  });
});
