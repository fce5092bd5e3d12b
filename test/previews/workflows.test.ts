// The preview workflows are part of the product: parse them, check the steps, and run the shell
// steps that matter (stack name, reap) with bash, against the fake pulumi.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fakePulumi } from "./fake-pulumi.ts";

const ROOT = join(import.meta.dirname, "../..");
/** A GitHub Actions expression as it appears in the YAML: `${{ inner }}`. */
const gh = (inner: string) => `\${{ ${inner} }}`;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const load = async (name: string) =>
  parse(await readFile(join(ROOT, ".github/workflows", name), "utf8"), { strict: true }) as Workflow;

const pulumiAction = (job: Job, command: string) =>
  job.steps.find((step) => step.uses?.startsWith("pulumi/actions@") && step.with?.command === command);

/** Runs a workflow step's script as Actions would (bash -eo pipefail) in the repository root. */
async function runStep(step: Step, env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), "parity-step-"));
  const files = {
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    RUNNER_TEMP: dir,
  };
  await writeFile(files.GITHUB_OUTPUT, "");
  await writeFile(files.GITHUB_STEP_SUMMARY, "");
  try {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        "bash",
        ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""],
        { cwd: ROOT, env: { ...process.env, ...files, ...env } },
        (error, out) => resolve({ code: error ? Number(error.code) : 0, stdout: out }),
      );
    });
    return {
      code,
      stdout,
      output: await readFile(files.GITHUB_OUTPUT, "utf8"),
      summary: await readFile(files.GITHUB_STEP_SUMMARY, "utf8"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("preview workflow", () => {
  it("deploys the branch's preview on opened/synchronize/reopened and destroys it on close", async () => {
    const workflow = await load("preview.yml");
    expect(workflow.on.pull_request).toEqual({ types: ["opened", "synchronize", "reopened", "closed"] });
    // One operation per branch, never cancelled mid-update.
    expect(workflow.concurrency).toEqual({
      group: `preview-${gh("github.head_ref")}`,
      "cancel-in-progress": false,
    });

    const deploy = workflow.jobs.deploy as Job;
    expect(deploy.if).toContain("github.event.action != 'closed'");
    const up = pulumiAction(deploy, "up");
    expect(up?.with?.["stack-name"]).toBe(
      `${gh("vars.PULUMI_ORG")}/parity/${gh("steps.stack.outputs.name")}`,
    );
    const nameStep = deploy.steps.find((step) => step.id === "stack");
    expect(nameStep?.run).toContain("npx parity previews stack-name --branch");
    const config = deploy.steps.find((step) => step.run?.includes("pulumi config set parity:branch"));
    expect(config?.run).toContain("cp stacks/Pulumi.preview.yaml.example");
    // Every secure placeholder of the template is replaced before `up`.
    const template = await readFile(join(ROOT, "stacks/Pulumi.preview.yaml.example"), "utf8");
    const secureKeys = [...template.matchAll(/^ {2}([\w:-]+):\n {4}secure:/gm)].map((m) => m[1]);
    expect(secureKeys.length).toBeGreaterThan(0);
    for (const key of secureKeys) expect(config?.run).toContain(`pulumi config set --secret ${key} `);
    const order = [nameStep, config, up].map((step) => deploy.steps.indexOf(step as Step));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const destroy = workflow.jobs.destroy as Job;
    expect(destroy.if).toContain("github.event.action == 'closed'");
    const down = pulumiAction(destroy, "destroy");
    expect(down?.with?.["stack-name"]).toBe(up?.with?.["stack-name"]);
    const remove = destroy.steps.find((step) => step.run?.includes("pulumi stack rm --yes"));
    expect(destroy.steps.indexOf(remove as Step)).toBeGreaterThan(destroy.steps.indexOf(down as Step));
    expect(down?.if).toBe("steps.exists.outputs.exists == 'true'");
    expect(remove?.if).toBe("steps.exists.outputs.exists == 'true'");
  });

  it("its stack-name step derives the components' name from the branch", async () => {
    const workflow = await load("preview.yml");
    const step = workflow.jobs.deploy?.steps.find((s) => s.id === "stack") as Step;
    const ran = await runStep(step, { BRANCH: "Feature/Checkout V2" });
    expect(ran.code).toBe(0);
    expect(ran.output).toBe("name=preview-feature-checkout-v2-8ba90a\n");
    // A branch the components refuse fails the step instead of deploying a stack named "".
    const bad = await runStep(step, { BRANCH: "///" });
    expect(bad.code).not.toBe(0);
    expect(bad.output).toBe("");
  });
});

describe("reap-previews workflow", () => {
  it("runs `parity previews reap` daily, failing the job when a destroy failed", async () => {
    const workflow = await load("reap-previews.yml");
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    const steps = workflow.jobs.reap?.steps ?? [];
    const reap = steps.find((step) => step.run?.includes("npx parity previews reap")) as Step;
    expect(reap).not.toHaveProperty("continue-on-error");
    const install = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions@") && !step.with);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(steps.indexOf(reap));
    expect(reap.env).toMatchObject({ PULUMI_ACCESS_TOKEN: gh("secrets.PULUMI_ACCESS_TOKEN") });
  });

  it("its reap step reaps through the pulumi on PATH, writes the step summary and keeps exit 2", async () => {
    const workflow = await load("reap-previews.yml");
    const step = workflow.jobs.reap?.steps.find((s) => s.run?.includes("npx parity previews reap")) as Step;
    const fake = await fakePulumi({
      stacks: [{ name: "preview-old" }, { name: "preview-bad" }, { name: "staging" }],
      outputs: {
        "preview-old": { tier: "preview", expiresAt: "2020-01-01T00:00:00Z" },
        "preview-bad": { tier: "preview", expiresAt: "2020-01-02T00:00:00Z" },
      },
      failDestroy: { "preview-bad": "AccessDenied: rds:DeleteDBInstance" },
    });
    try {
      const ran = await runStep(step, {
        PATH: [fake.dir, process.env.PATH].join(delimiter),
        PULUMI_ORG: "acme",
        DRY_RUN: "",
      });
      expect(ran.code).toBe(2);
      expect(await fake.mutations()).toEqual([
        "pulumi destroy --yes --stack preview-bad",
        "pulumi destroy --yes --stack preview-old",
        "pulumi stack rm --yes preview-old",
      ]);
      expect((await fake.calls())[0]?.args).toEqual(["stack", "ls", "--json", "--organization", "acme"]);
      expect(ran.summary).toMatch(/^```\nDestroyed: 1 expired preview\n[\s\S]*AccessDenied[\s\S]*\n```\n$/);
      expect(ran.stdout).toContain("staging: protected, never reaped");
    } finally {
      await fake.remove();
    }
  });
});
