// action.yml's step, run as GitHub would run it (bash, its env, RUNNER_TEMP, GITHUB_STEP_SUMMARY,
// GITHUB_OUTPUT, and GitHub's `bash --noprofile --norc -eo pipefail`), with `npm exec` answered by this checkout's CLI so the test needs no registry.
import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { tempDirWith } from "../audit/support/files.ts";

const root = join(import.meta.dirname, "../..");

interface ActionStep {
  id: string;
  shell: string;
  env: Record<string, string>;
  run: string;
}

async function runAction(cwd: string, inputs: Record<string, string>) {
  const action = parse(await readFile(join(root, "action.yml"), "utf8")) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: ActionStep[] };
  };
  expect(action.runs.using).toBe("composite");
  const step = action.runs.steps[0] as ActionStep;
  const input = (name: string) => inputs[name] ?? action.inputs[name]?.default ?? "";
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env)) {
    env[name] = value.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_, key: string) => input(key));
  }
  const runner = join(cwd, ".runner");
  await mkdir(join(runner, "bin"), { recursive: true });
  // `npm exec --yes --package=P -- parity ARGS` → this checkout's CLI with ARGS.
  await writeFile(
    join(runner, "bin/npm"),
    `#!/usr/bin/env bash\nwhile [ "$1" != "--" ]; do shift; done; shift; shift\nexec "${process.execPath}" "${join(root, "bin/parity.js")}" "$@"\n`,
  );
  await chmod(join(runner, "bin/npm"), 0o755);
  const summary = join(runner, "summary.md");
  const output = join(runner, "output");
  await writeFile(summary, "earlier step's summary\n");
  await writeFile(output, "");
  const result = await promisify(execFile)(
    "bash",
    ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run],
    {
      cwd,
      env: {
        ...process.env,
        ...env,
        PATH: `${join(runner, "bin")}:${process.env.PATH}`,
        RUNNER_TEMP: runner,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: output,
        NO_COLOR: "1",
      },
    },
  ).then(
    (out) => ({ code: 0, ...out }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { ...result, summary: await readFile(summary, "utf8"), output: await readFile(output, "utf8") };
}

describe("action.yml", () => {
  it("annotates findings, appends the summary, writes JUnit, and fails the step on drift", async () => {
    const cwd = await tempDirWith({
      "parity.config.yaml":
        "baseline: production\nenvironments:\n  production: { config: { dotenv: { file: production.env } } }\n  staging: { config: { dotenv: { file: staging.env } } }\n",
      "production.env": "A=1\nB=2\n",
      "staging.env": "A=1\n",
    });
    const run = await runAction(cwd, { junit: "reports/parity.xml" });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^::error title=parity config\/missing-key \(staging\)::config-key B: /m);
    expect(run.stdout).toMatch(/staging\s+drift/); // the text report in the log
    expect(run.summary).toMatch(/^earlier step's summary\n## parity audit: ❌ drift/);
    expect(run.output).toBe("exit-code=1\n");
    expect(await readFile(join(cwd, "reports/parity.xml"), "utf8")).toContain('<testsuite name="staging"');
  }, 60_000);

  it("passes a clean run, honouring the config input", async () => {
    const cwd = await tempDirWith({
      "audit.yaml":
        "baseline: production\nenvironments:\n  production: { config: { dotenv: { file: a.env } } }\n  staging: { config: { dotenv: { file: a.env } } }\n",
      "a.env": "A=1\n",
    });
    const run = await runAction(cwd, { config: "audit.yaml" });
    expect(run.code, run.stderr).toBe(0);
    expect(run.output).toBe("exit-code=0\n");
    expect(run.stdout).toMatch(/^::notice title=parity audit::no drift/m);
  }, 60_000);
});
