// `parity previews` as a scheduled job runs it: bin/parity.js with the fake pulumi first on PATH.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakePulumi, fakePulumi } from "./fake-pulumi.ts";

const ROOT = join(import.meta.dirname, "../..");
let fake: FakePulumi;
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "parity-project-"));
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function parity(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "bin/parity.js"), ...args],
      { cwd: project, env: { ...process.env, PATH: [fake.dir, process.env.PATH].join(delimiter) } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const SCENARIO = {
  stacks: [{ name: "production" }, { name: "preview-old" }, { name: "preview-new" }, { name: "preview-bad" }],
  outputs: {
    "preview-old": { tier: "preview", branch: "feature/old", expiresAt: "2026-03-01T00:00:00Z" },
    "preview-new": { tier: "preview", branch: "feature/new", expiresAt: "2026-03-15T00:00:00Z" },
    "preview-bad": { tier: "preview", branch: "feature/bad", expiresAt: "2026-03-02T00:00:00Z" },
  },
  failDestroy: {
    "preview-bad": "deleting RDS DB Instance: timeout while waiting for state to become 'deleted'",
  },
};

it("reap destroys the expired previews in the current project, reports the failure, exits 2", async () => {
  fake = await fakePulumi(SCENARIO);
  try {
    const { code, stdout, stderr } = await parity(["previews", "reap", "--now", "2026-03-10T00:00:00Z"]);
    expect(code).toBe(2);
    expect(await fake.mutations()).toEqual([
      "pulumi destroy --yes --stack preview-bad",
      "pulumi destroy --yes --stack preview-old",
      "pulumi stack rm --yes preview-old",
    ]);
    expect((await fake.calls()).every((call) => call.cwd === project)).toBe(true);
    expect(stdout).toContain("Destroyed: 1 expired preview\n  preview-old: expired 2026-03-01T00:00:00Z");
    expect(stdout).toMatch(
      /Failed: 1 .*\n {2}preview-bad: pulumi destroy --yes --stack preview-bad failed: .*timeout/,
    );
    expect(stdout).toContain("preview-new: kept until 2026-03-15T00:00:00Z (in 5d, branch feature/new)");
    expect(stdout).toContain("production: protected, never reaped");
    expect(stderr).toContain("parity previews: preview-old: pulumi destroy --yes --stack preview-old");
  } finally {
    await fake.remove();
  }
});

it("reap --dry-run --json changes nothing and prints the result as JSON, exit 0", async () => {
  fake = await fakePulumi(SCENARIO);
  try {
    const { code, stdout } = await parity(["previews", "reap", "--dry-run", "--json", "--now", "2026-03-10"]);
    expect(code).toBe(0);
    expect(await fake.mutations()).toEqual([]);
    const result = JSON.parse(stdout) as { dryRun: boolean; stacks: Array<{ outcome: string }> };
    expect(result.dryRun).toBe(true);
    expect(result.stacks.filter((s) => s.outcome === "would-destroy")).toHaveLength(2);
  } finally {
    await fake.remove();
  }
});

it("list runs in --dir; bad --now is exit 2 before pulumi is run", async () => {
  fake = await fakePulumi(SCENARIO);
  try {
    const listed = await parity(["previews", "list", "--dir", ROOT, "--now", "2026-03-10T00:00:00Z"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("preview-old: expired 2026-03-01T00:00:00Z (9d ago, branch feature/old)");
    expect((await fake.calls()).every((call) => call.cwd === ROOT)).toBe(true);
    const before = (await fake.calls()).length;
    const bad = await parity(["previews", "reap", "--now", "tomorrow"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('parity: --now "tomorrow" is not an ISO-8601 time');
    expect(await fake.calls()).toHaveLength(before);
  } finally {
    await fake.remove();
  }
});

it("stack-name prints the branch's preview stack; a branch without letters is exit 2", async () => {
  fake = await fakePulumi({ stacks: [] });
  try {
    expect(await parity(["previews", "stack-name", "--branch", "feature/Login"])).toMatchObject({
      code: 0,
      stdout: "preview-feature-login-48fad0\n", // not its own slug: a hash of the exact branch
    });
    const bad = await parity(["previews", "stack-name", "--branch", "///"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("parity: --branch: a preview needs a branch name with at least one letter");
  } finally {
    await fake.remove();
  }
});
