// `npm run demo -- promote`, end to end: the planted change promoted, recorded, undone and the log
// verified, and nothing left behind, also when interrupted. (Short temp names: the server's Unix
// socket path must stay under 107 bytes.)
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
  const parent = await mkdtemp(join(tmpdir(), "parity-pd-"));
  parents.push(parent);
  await chmod(parent, 0o755);
  const child = spawn(process.execPath, ["--import", "tsx", "examples/demo/run.ts", "promote"], {
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

describe("npm run demo -- promote", () => {
  it("previews, applies, records, undoes and verifies, exits 0 and removes everything", async () => {
    const demo = await startDemo();
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
    const demo = await startDemo();
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (demo.output().includes("loading the shop")) {
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
    expect(demo.output()).toContain("SIGINT: stopping the demo server");
    expect(await readdir(demo.parent)).toEqual([]);
  });
});
