// .github/workflows/promote.yml is part of the product: it parses, previews before it applies, makes
// the production environment's protection rules the approval, applies exactly the previewed plan,
// records the approvers, uploads the record and verifies the log — and no secret is ever echoed or
// passed on a command line.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub's ${{ }} and the shell's ${…} are the text under test
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadParityConfig } from "../../audit/parity-config/load.ts";
import { resolvePromotionSettings } from "../../audit/promote/record/settings.ts";

const ROOT = join(import.meta.dirname, "../..");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name: string };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { workflow_dispatch?: { inputs: Record<string, unknown> }; push?: { tags?: string[] } };
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = await readFile(join(ROOT, ".github/workflows/promote.yml"), "utf8");
const workflow = parse(text, { strict: true }) as Workflow;
const preview = workflow.jobs.preview as Job;
const promote = workflow.jobs.promote as Job;
const allSteps = [...preview.steps, ...promote.steps];
const stepRunning = (job: Job, needle: string) => job.steps.find((step) => step.run?.includes(needle));

describe("promote workflow", () => {
  it("runs on a manual dispatch with from and to, and on a release tag", () => {
    expect(Object.keys(workflow.on.workflow_dispatch?.inputs ?? {})).toEqual(["from", "to"]);
    expect(workflow.on.push?.tags).toEqual(["v*"]);
    expect(workflow.env).toMatchObject({
      FROM: "${{ inputs.from || 'staging' }}",
      TO: "${{ inputs.to || 'production' }}",
    });
  });

  it("previews with --dry-run into the job summary and hands the plan hash on", () => {
    const step = stepRunning(preview, "parity promote") as Step;
    expect(step.run).toContain("--dry-run");
    expect(step.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(step.run).toContain('echo "plan-sha256=$hash" >> "$GITHUB_OUTPUT"');
    expect(preview.outputs).toEqual({ "plan-sha256": `\${{ steps.${step.id}.outputs.plan-sha256 }}` });
    expect(preview.environment).toBeUndefined();
  });

  it("applies behind the production environment, after the preview, exactly the previewed plan", () => {
    expect(promote.needs).toBe("preview");
    expect(promote.environment).toBe("production");
    const step = stepRunning(promote, 'npx parity "${args[@]}"') as Step;
    expect(step.run).toMatch(/args=\(promote --from "\$FROM" --to "\$TO" .*--plan-sha256 "\$PLAN_SHA256"/);
    expect(step.run).not.toContain("--dry-run");
    expect(step.env?.PLAN_SHA256).toBe("${{ needs.preview.outputs.plan-sha256 }}");
  });

  it("records the actor and the environment's approving reviewers", () => {
    const step = stepRunning(promote, 'npx parity "${args[@]}"') as Step;
    expect(step.env?.ACTOR).toBe("${{ github.actor }}");
    expect(step.run).toContain('args+=(--approved-by "$ACTOR")');
    expect(step.run).toContain('args+=(--approved-by "$reviewer")');
    const approvals = stepRunning(promote, "/approvals") as Step;
    expect(approvals.run).toContain("actions/runs/$GITHUB_RUN_ID/approvals");
    expect(workflow.permissions).toMatchObject({ actions: "read", contents: "read" });
    expect(promote.steps.indexOf(approvals)).toBeLessThan(promote.steps.indexOf(step));
  });

  it("writes the signing key to a 0600 file from the environment, and removes it at the end", () => {
    const keyStep = promote.steps.find((step) => step.env?.PARITY_RECORD_SIGNING_KEY) as Step;
    expect(keyStep.env?.PARITY_RECORD_SIGNING_KEY).toBe("${{ secrets.PARITY_RECORD_SIGNING_KEY }}");
    const lines = (keyStep.run ?? "").split("\n").map((line) => line.trim());
    expect(lines.indexOf("umask 077")).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf("umask 077")).toBeLessThan(lines.findIndex((l) => l.startsWith("printenv")));
    expect(keyStep.run).toContain(
      'printenv PARITY_RECORD_SIGNING_KEY > "$RUNNER_TEMP/record-signing-key.pem"',
    );
    expect(keyStep.run).toContain(
      'echo "PARITY_RECORD_KEY_FILE=$RUNNER_TEMP/record-signing-key.pem" >> "$GITHUB_ENV"',
    );
    const last = promote.steps.at(-1) as Step;
    expect(last).toMatchObject({ if: "always()", run: 'rm -f "$RUNNER_TEMP/record-signing-key.pem"' });
  });

  it("uploads the record and verifies the log after promoting", () => {
    const promoteStep = stepRunning(promote, 'npx parity "${args[@]}"') as Step;
    const upload = promote.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@")) as Step;
    const verify = stepRunning(promote, "parity record verify") as Step;
    expect(promoteStep.run).toContain('> "$RUNNER_TEMP/promotion.json"');
    expect(upload.with?.path).toBe("${{ runner.temp }}/promotion.json");
    const index = (step: Step) => promote.steps.indexOf(step);
    expect(index(upload)).toBeGreaterThan(index(promoteStep));
    expect(index(verify)).toBeGreaterThan(index(promoteStep));
    for (const step of [upload, verify])
      expect(step.if).toBe("always() && steps.promote.outcome != 'skipped'");
  });

  it("never puts a secret in a run script, an action input or an echo", () => {
    const secretEnv = new Set<string>();
    for (const step of allSteps) {
      expect(step.run ?? "").not.toMatch(/\$\{\{\s*secrets\./);
      expect(JSON.stringify(step.with ?? {})).not.toMatch(/secrets\./);
      for (const [name, value] of Object.entries(step.env ?? {}))
        if (/secrets\./.test(value)) secretEnv.add(name);
    }
    expect([...secretEnv].sort()).toEqual([
      "PARITY_RECORD_SIGNING_KEY",
      "PRODUCTION_DATABASE_URL",
      "STAGING_DATABASE_URL",
    ]);
    for (const step of allSteps) {
      const script = step.run ?? "";
      expect(script).not.toMatch(/set -[a-z]*x/);
      for (const name of secretEnv) {
        // A secret's variable is never expanded into a command's arguments; printenv gets its name.
        expect(script).not.toContain(`$${name}`);
        expect(script).not.toContain(`\${${name}}`);
      }
    }
    expect(text).not.toMatch(/--signing-key|--key\b/);
  });

  it("uses the repository config's promotion: block, which loads with and without the workflow's variables", async () => {
    const env = {
      PULUMI_ORG: "acme",
      PRODUCTION_DATABASE_URL: "postgres://x/p",
      STAGING_DATABASE_URL: "postgres://x/s",
    };
    const local = resolvePromotionSettings(await loadParityConfig(join(ROOT, "parity.config.yaml"), { env }));
    expect(local).toEqual({
      log: join(ROOT, ".parity/promotion-records"),
      signingKey: { file: join(ROOT, ".parity/record-signing-key.pem") },
    });
    const ci = resolvePromotionSettings(
      await loadParityConfig(join(ROOT, "parity.config.yaml"), {
        env: {
          ...env,
          PARITY_RECORD_LOG: "s3://acme-records/shop",
          PARITY_RECORD_KEY_FILE: "/runner/tmp/record-signing-key.pem",
        },
      }),
    );
    expect(ci).toEqual({
      log: "s3://acme-records/shop",
      signingKey: { file: "/runner/tmp/record-signing-key.pem" },
    });
    for (const step of [
      stepRunning(promote, "parity record verify"),
      stepRunning(preview, "parity promote"),
    ]) {
      expect(step?.run).toContain("--config parity.config.yaml");
    }
  });
});
