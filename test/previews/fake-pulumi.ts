// A fake `pulumi` executable for the reaper's tests: a small node script in a temp dir that answers
// `stack ls` / `stack output` from a scenario file and records every invocation (argv and cwd), so
// the tests check the exact CLI calls the reaper makes. Like the real CLI, `stack rm` without
// --force refuses a stack whose resources were not destroyed first.
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Scenario {
  /** What `pulumi stack ls --json` prints. */
  stacks: Array<{ name: string; updateInProgress?: boolean; lastUpdate?: string }>;
  /** `pulumi stack output --json` per stack; a string is an error the CLI prints instead. */
  outputs?: Record<string, Record<string, unknown> | string>;
  /** `pulumi stack tag ls --json` per stack (default: no tags). */
  tags?: Record<string, Record<string, string>>;
  /** Stacks whose `pulumi destroy` fails with this stderr. */
  failDestroy?: Record<string, string>;
  /** `stack ls` itself fails with this stderr. */
  failList?: string;
  /**
   * `pulumi preview --stack S --save-plan FILE` per stack: what it prints (and it writes a plan file
   * like the real CLI's), or `{ fail }`, the stderr it fails with.
   */
  previews?: Record<string, string | { fail: string }>;
}

export interface Invocation {
  args: string[];
  cwd: string;
  nonInteractive: boolean;
}

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require("node:fs");
const path = require("node:path");
const here = __dirname;
const scenario = JSON.parse(fs.readFileSync(path.join(here, "scenario.json"), "utf8"));
const args = process.argv.slice(2);
fs.appendFileSync(path.join(here, "calls.jsonl"), JSON.stringify({
  args, cwd: process.cwd(), nonInteractive: process.env.PULUMI_NON_INTERACTIVE === "true",
}) + "\n");
const destroyedFile = path.join(here, "destroyed.json");
const destroyed = fs.existsSync(destroyedFile) ? JSON.parse(fs.readFileSync(destroyedFile, "utf8")) : [];
const fail = (message) => { process.stderr.write("error: " + message + "\n"); process.exit(255); };
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const is = (...prefix) => prefix.every((word, i) => args[i] === word);

if (is("stack", "ls")) {
  if (scenario.failList) fail(scenario.failList);
  process.stdout.write(JSON.stringify(scenario.stacks));
} else if (is("stack", "output")) {
  if (!args.includes("--json") || !args.includes("--show-secrets=false")) fail("expected --json --show-secrets=false");
  const stack = flag("--stack");
  const outputs = (scenario.outputs || {})[stack];
  if (outputs === undefined) fail("no stack named '" + stack + "' found");
  if (typeof outputs === "string") fail(outputs);
  process.stdout.write(JSON.stringify(outputs));
} else if (is("stack", "tag", "ls")) {
  if (!args.includes("--json")) fail("expected --json");
  process.stdout.write(JSON.stringify((scenario.tags || {})[flag("--stack")] || {}));
} else if (is("preview")) {
  const stack = flag("--stack");
  const preview = (scenario.previews || {})[stack];
  if (preview === undefined) fail("no stack named '" + stack + "' found");
  if (typeof preview === "object") fail(preview.fail);
  const planFile = flag("--save-plan");
  if (planFile) fs.writeFileSync(planFile, JSON.stringify({ manifest: { time: "2026-12-01T00:00:00Z" }, resourcePlans: {} }));
  process.stdout.write(preview);
} else if (is("destroy") && args.includes("--yes")) {
  const stack = flag("--stack");
  const failure = (scenario.failDestroy || {})[stack];
  if (failure) { process.stdout.write("Destroying (" + stack + ")\n"); fail(failure); }
  fs.writeFileSync(destroyedFile, JSON.stringify([...destroyed, stack]));
  process.stdout.write("The resources in the stack have been deleted\n");
} else if (is("stack", "rm") && args.includes("--yes")) {
  const stack = args[args.length - 1];
  if (!destroyed.includes(stack)) fail("'" + stack + "' still has resources; removal rejected");
  process.stdout.write("Stack '" + stack + "' has been removed!\n");
} else {
  fail("unexpected pulumi invocation: " + args.join(" "));
}
`;

export interface FakePulumi {
  /** The directory holding the `pulumi` executable: put it first on PATH. */
  dir: string;
  calls(): Promise<Invocation[]>;
  /** Only the calls that change something (destroy, stack rm), as command lines. */
  mutations(): Promise<string[]>;
  remove(): Promise<void>;
}

export async function fakePulumi(scenario: Scenario): Promise<FakePulumi> {
  const dir = await mkdtemp(join(tmpdir(), "parity-fake-pulumi-"));
  await writeFile(join(dir, "pulumi"), SCRIPT);
  await chmod(join(dir, "pulumi"), 0o755);
  await writeFile(join(dir, "scenario.json"), JSON.stringify(scenario));
  const calls = async (): Promise<Invocation[]> => {
    const text = await readFile(join(dir, "calls.jsonl"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Invocation);
  };
  return {
    dir,
    calls,
    mutations: async () =>
      (await calls())
        .filter((call) => call.args[0] === "destroy" || (call.args[0] === "stack" && call.args[1] === "rm"))
        .map((call) => `pulumi ${call.args.join(" ")}`),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
