// The README's first command, end to end: real servers, the real checks, the planted drift found,
// and nothing left behind, also when interrupted.
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const parents: string[] = [];

afterEach(async () => {
  await Promise.all(parents.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function startDemo(): Promise<{
  child: ChildProcess;
  parent: string;
  output: () => string;
  exit: Promise<number | null>;
}> {
  const parent = await mkdtemp(join(tmpdir(), "parity-demo-test-"));
  parents.push(parent);
  // When tests run as root the servers run as `postgres`, which must be able to reach the dir.
  await chmod(parent, 0o755);
  const child = spawn(process.execPath, ["--import", "tsx", "examples/demo/run.ts"], {
    cwd: ROOT,
    env: { ...process.env, PARITY_DEMO_TMPDIR: parent, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, parent, output: () => output, exit };
}

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
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (demo.output().includes("loading the shop schema")) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      void demo.exit.then(() => {
        clearInterval(timer);
        reject(new Error(`demo exited before it could be interrupted:\n${demo.output()}`));
      });
    });
    demo.child.kill("SIGINT");
    expect(await demo.exit, demo.output()).toBe(130);
    expect(demo.output()).toContain("SIGINT: stopping the demo servers");
    expect(await readdir(demo.parent)).toEqual([]);
  });
});
