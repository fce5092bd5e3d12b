// One running `npm run demo [-- NAME]` for the demo tests: its own temp parent (the demo's
// PARITY_DEMO_TMPDIR, which must be empty again when it ends), its output, its exit code, and an
// interrupt at a chosen point. Short temp names: the server's Unix socket path must stay under
// 107 bytes.
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const parents: string[] = [];

afterEach(async () => {
  await Promise.all(parents.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export interface RunningDemo {
  child: ChildProcess;
  parent: string;
  output: () => string;
  exit: Promise<number | null>;
}

export async function startDemo(args: readonly string[] = []): Promise<RunningDemo> {
  const parent = await mkdtemp(join(tmpdir(), "parity-dt-"));
  parents.push(parent);
  // When tests run as root the servers run as `postgres`, which must be able to reach the dir.
  await chmod(parent, 0o755);
  const child = spawn(process.execPath, ["--import", "tsx", "examples/demo/run.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, PARITY_DEMO_TMPDIR: parent, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, parent, output: () => output, exit };
}

/** Sends `signal` once the demo has printed `text`; fails if it exits before that. */
export async function interruptWhen(demo: RunningDemo, text: string, signal: NodeJS.Signals): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (demo.output().includes(text)) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    void demo.exit.then(() => {
      clearInterval(timer);
      reject(new Error(`demo exited before it could be interrupted:\n${demo.output()}`));
    });
  });
  demo.child.kill(signal);
}
