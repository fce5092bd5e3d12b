// The deploy workflows as the components need them: Node-24 action majors, a timeout on every job,
// the VPC runner on every job that reaches a database, and preview → guard → up → audit, with the
// guard step run with bash on a refused preview.
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");
const WORKFLOWS = join(ROOT, ".github/workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  "timeout-minutes"?: number;
  steps: Step[];
}
const load = async (name: string) =>
  parse(await readFile(join(WORKFLOWS, name), "utf8"), { strict: true }) as { jobs: Record<string, Job> };

/**
 * The first majors whose action.yml declares `runs.using: node24` (each action's own release notes:
 * checkout v5, setup-node v5, upload-artifact v6, configure-aws-credentials v6, pulumi/actions v7).
 */
const NODE24_MAJOR: Record<string, number> = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "actions/upload-artifact": 6,
  "aws-actions/configure-aws-credentials": 6,
  "pulumi/actions": 7,
};

const VPC_RUNNER = "${{ vars.PARITY_VPC_RUNNER";

describe("every workflow", async () => {
  const files = (await readdir(WORKFLOWS)).filter((file) => file.endsWith(".yml"));

  it.each(files)("%s: Node-24 action majors and a timeout on every job", async (file) => {
    const workflow = await load(file);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job["timeout-minutes"], `${file} job ${name}`).toBeGreaterThan(0);
      for (const step of job.steps) {
        if (!step.uses) continue;
        const [action, version] = step.uses.split("@") as [string, string];
        expect(NODE24_MAJOR[action], `${file}: ${step.uses} is not a known action`).toBeDefined();
        expect(Number(version.replace(/^v/, "")), `${file}: ${step.uses}`).toBeGreaterThanOrEqual(
          NODE24_MAJOR[action] as number,
        );
      }
    }
  });
});

function indexOf(job: Job, match: (step: Step) => boolean): number {
  const index = job.steps.findIndex(match);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

describe.each([
  ["deploy.yml", "staging"],
  ["deploy.yml", "production"],
  ["preview.yml", "deploy"],
])("%s job %s", (file, jobName) => {
  it("previews, guards, then runs up, on the runner that reaches the VPC", async () => {
    const job = (await load(file)).jobs[jobName] as Job;
    expect(job["runs-on"].startsWith(VPC_RUNNER)).toBe(true);
    const preview = indexOf(job, (step) =>
      /pulumi preview .*--json > "\$RUNNER_TEMP\/preview.json"/.test(step.run ?? ""),
    );
    const guard = indexOf(
      job,
      (step) => step.run === 'npx parity guard --preview "$RUNNER_TEMP/preview.json"',
    );
    const up = indexOf(
      job,
      (step) => step.uses?.startsWith("pulumi/actions@") === true && step.with?.command === "up",
    );
    expect(preview).toBeLessThan(guard);
    expect(guard).toBeLessThan(up);
    if (file === "deploy.yml") {
      const audit = indexOf(job, (step) =>
        (step.run ?? "").startsWith("npx parity audit --config parity.config.yaml"),
      );
      expect(audit).toBe(up + 1);
    }
  });
});

it("the drift audit runs on the VPC runner too", async () => {
  const job = (await load("drift-audit.yml")).jobs.audit as Job;
  expect(job["runs-on"].startsWith(VPC_RUNNER)).toBe(true);
});

it("the guard step fails the job on a ForceNew change without a generation bump", async () => {
  const job = (await load("deploy.yml")).jobs.staging as Job;
  const step = job.steps.find((s) => s.name === "parity guard") as Step;
  const dir = await mkdtemp(join(tmpdir(), "parity-guard-step-"));
  try {
    await copyFile(join(import.meta.dirname, "fixtures/preview-forcenew.json"), join(dir, "preview.json"));
    const ran = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        "bash",
        ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""],
        { cwd: ROOT, env: { ...process.env, RUNNER_TEMP: dir } },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain("shop-staging-db-g1-instance would be replaced (dbSubnetGroupName)");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
