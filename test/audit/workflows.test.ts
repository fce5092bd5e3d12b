// The CI workflows are part of the product: parse them and check they do what the README says.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; environment?: string; steps: Step[] }>;
}

const load = async (name: string) =>
  parse(await readFile(join(ROOT, ".github/workflows", name), "utf8"), { strict: true }) as Workflow;

describe("drift-audit workflow", () => {
  it("runs nightly, reports to the step summary, JUnit and the log, and uploads the JUnit file", async () => {
    const workflow = await load("drift-audit.yml");
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    const steps = workflow.jobs.audit?.steps ?? [];
    const audit = steps.find((step) => step.run?.includes("parity audit"));
    const command = audit?.run?.replace(/\\\n\s*/g, "") ?? "";
    expect(command).toContain("--reporter markdown=$GITHUB_STEP_SUMMARY");
    expect(command).toContain("--reporter junit=reports/parity.xml");
    expect(command).toContain("--reporter text");
    // The step fails the job on drift simply by its exit code: no `continue-on-error`.
    expect(audit).not.toHaveProperty("continue-on-error");
    const upload = steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload).toMatchObject({ if: "always()", with: { path: "reports/parity.xml" } });
    expect(steps.indexOf(upload as Step)).toBeGreaterThan(steps.indexOf(audit as Step));
    expect(steps.some((step) => step.uses?.startsWith("pulumi/actions@"))).toBe(true);
  });
});

describe("deploy workflow", () => {
  it("pulumi up for staging on merge to main, for production on promotion behind an environment", async () => {
    const workflow = await load("deploy.yml");
    expect(workflow.on.push).toEqual({ branches: ["main"] });
    expect(workflow.on).toHaveProperty("release");
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    const pulumiStep = (job: string) =>
      workflow.jobs[job]?.steps.find(
        (step) => step.uses?.startsWith("pulumi/actions@") && step.with?.command === "up",
      );
    expect(pulumiStep("staging")?.with).toMatchObject({
      command: "up",
      "stack-name": expect.stringMatching(/staging$/),
    });
    expect(pulumiStep("production")?.with).toMatchObject({
      command: "up",
      "stack-name": expect.stringMatching(/production$/),
    });
    expect(workflow.jobs.staging?.if).toBe("github.event_name == 'push'");
    expect(workflow.jobs.production?.if).toMatch(/release.*workflow_dispatch/);
    expect(workflow.jobs.production?.environment).toBe("production");
  });
});
