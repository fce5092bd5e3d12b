import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { auditCommand, parseReporterRequests, writeReports } from "../../audit/cli/audit/command.ts";
import { ParityInputError } from "../../audit/core/errors.ts";
import { jsonReportSchema } from "../../audit/drift/reporters/json-schema.ts";
import { tempDirWith } from "./support/files.ts";
import { dotenvKeysCheck, registryOf } from "./support/test-checks.ts";

const run = promisify(execFile);
const registry = registryOf({ config: [dotenvKeysCheck] });

const CONFIG = `
baseline: production
environments:
  production: { config: { dotenv: { file: production.env } } }
  staging: { config: { dotenv: { file: staging.env } } }
`;

describe("auditCommand", () => {
  it.each([
    ["no drift", "A=1\nB=2\n", 0],
    ["drift", "A=1\n", 1],
  ])("%s → exit code %i", async (_name, staging, exitCode) => {
    const cwd = await tempDirWith({
      "parity.config.yaml": CONFIG,
      "production.env": "A=1\nB=2\n",
      "staging.env": staging,
    });
    const outcome = await auditCommand({ cwd, registry });
    expect(outcome.exitCode).toBe(exitCode);
    expect(outcome.reports).toHaveLength(1);
    expect(outcome.reports[0]?.reporter).toBe("text");
    expect(outcome.reports[0]?.file).toBeUndefined();
  });

  it("an unreadable environment → exit code 2, and the report is still rendered", async () => {
    const cwd = await tempDirWith({ "parity.config.yaml": CONFIG, "production.env": "A=1\n" });
    const outcome = await auditCommand({ cwd, registry, reporters: ["text"] });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.reports[0]?.content).toMatch(/staging\s+could not be read/);
  });

  it("a bad config file → ParityInputError (exit 2) listing every problem with its path", async () => {
    const cwd = await tempDirWith({
      "parity.config.yaml":
        "baseline: prod\nenvironments:\n  a: { rds: { instance: a, cluster: b } }\n  b: { config: { dotenv: {} } }\n",
    });
    const error = await auditCommand({ cwd, registry }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^baseline: "prod" is not one of/),
        expect.stringMatching(/^environments\.a\.rds: give exactly one/),
        expect.stringMatching(/^environments\.b\.config\.dotenv\.file: is required/),
      ]),
    );
  });

  it("an ignore entry naming no rule of the checks that run → ParityInputError (exit 2) with its path", async () => {
    const ruled = registryOf({
      config: [
        {
          ...dotenvKeysCheck,
          rules: [{ id: "config/missing-key", description: "", defaultSeverity: "error", messages: {} }],
        },
      ],
    });
    const cwd = await tempDirWith({
      "parity.config.yaml": `${CONFIG}ignore:
  - { rule: config/mising-key, object: B, reason: typo }
  - { rule: "config/*", object: B, reason: matches a real rule }
  - { rule: audit/ignore-unused, object: "*", reason: the runner's own rules count too }
  - { rule: schema-missing, object: "*", reason: old flat id }
`,
      "production.env": "A=1\nB=2\n",
      "staging.env": "A=1\n",
    });
    const error = await auditCommand({ cwd, registry: ruled }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([
      expect.stringMatching(/^ignore\[0\]\.rule: "config\/mising-key" matches no rule .*parity rules/),
      expect.stringMatching(/^ignore\[3\]\.rule: "schema-missing" matches no rule/),
    ]);
    // A check that does not declare its rules leaves nothing to check against: the entry is only reported as unused.
    expect((await auditCommand({ cwd, registry })).exitCode).toBe(1);
  });

  it("renders each requested reporter for its own target", async () => {
    const cwd = await tempDirWith({
      "parity.config.yaml": CONFIG,
      "production.env": "A=1\nB=2\n",
      "staging.env": "A=1\n",
    });
    const outcome = await auditCommand({
      cwd,
      registry,
      reporters: ["text", "json=out/report.json", "junit=out/parity.xml", "markdown=summary.md"],
      colorStdout: true,
    });
    expect(outcome.reports.map((r) => [r.reporter, r.file])).toEqual([
      ["text", undefined],
      ["json", join(cwd, "out/report.json")],
      ["junit", join(cwd, "out/parity.xml")],
      ["markdown", join(cwd, "summary.md")],
    ]);
    // Colour only for the stdout text report, never in files.
    expect(outcome.reports[0]?.content).toContain("\u001b[");
    let stdout = "";
    await writeReports(outcome.reports, { write: (chunk: string) => (stdout += chunk) });
    expect(stdout).toBe(outcome.reports[0]?.content);
    const json = jsonReportSchema.parse(JSON.parse(await readFile(join(cwd, "out/report.json"), "utf8")));
    expect(json.findings.map((f) => f.location.object)).toEqual(["B"]);
    expect(await readFile(join(cwd, "out/parity.xml"), "utf8")).toContain("<testsuites");
    expect(await readFile(join(cwd, "summary.md"), "utf8")).toContain("## parity audit: ❌ drift");
    // Atomic writes leave no temp files behind.
    expect((await readdir(join(cwd, "out"))).sort()).toEqual(["parity.xml", "report.json"]);
  });

  it("filters with --env", async () => {
    const cwd = await tempDirWith({
      "parity.config.yaml": `${CONFIG}  preview: { config: { dotenv: { file: preview.env } } }\n`,
      "production.env": "A=1\n",
      "staging.env": "",
      "preview.env": "A=1\n",
    });
    const outcome = await auditCommand({ cwd, registry, environments: ["preview"] });
    expect(outcome.result.targets).toEqual(["preview"]);
    expect(outcome.exitCode).toBe(0);
  });
});

describe("writeReports", () => {
  const report = (file: string) => ({ reporter: "json" as const, file, content: "{}\n" });
  const stdout = { write: () => true };

  it("creates missing parent directories", async () => {
    const cwd = await tempDirWith({});
    await writeReports([report(join(cwd, "a/b/c/report.json"))], stdout);
    expect(await readFile(join(cwd, "a/b/c/report.json"), "utf8")).toBe("{}\n");
  });

  it("a file that cannot be written → ParityInputError naming it, not an internal error", async () => {
    const cwd = await tempDirWith({ "plain-file": "x" });
    const file = join(cwd, "plain-file/report.json");
    const error = await writeReports([report(file)], stdout).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as Error).message).toContain(`cannot write ${file}`);
  });

  it.runIf(existsSync("/proc/self"))(
    "fails instead of hanging where the parent refuses new directories",
    async () => {
      const error = await writeReports([report("/proc/parity-no-such/report.json")], stdout).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ParityInputError);
      expect((error as Error).message).toContain("/proc/parity-no-such/report.json");
    },
  );
});

describe("parseReporterRequests", () => {
  it("defaults to text on stdout", () => {
    expect(parseReporterRequests([], "/w")).toEqual([{ reporter: "text" }]);
  });

  it("reports every bad --reporter at once", () => {
    try {
      parseReporterRequests(["html", "json=", "junit=a.xml", "markdown=a.xml"], "/w");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParityInputError);
      expect((error as ParityInputError).problems).toEqual([
        '--reporter html: unknown reporter "html" (choose from text, json, junit, markdown, github)',
        '--reporter json=: give a file after "=", or leave "=" out to write to stdout',
        "--reporter: two reporters write to /w/a.xml",
      ]);
    }
  });
});

describe("bin/parity.js audit (smoke)", () => {
  const parity = (cwd: string, ...args: string[]) =>
    run(process.execPath, [join(import.meta.dirname, "../../bin/parity.js"), "audit", ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
    }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("exit 1 on drift with the text report on stdout; a JUnit file on request", async () => {
    const cwd = await tempDirWith({
      "parity.config.yaml": CONFIG,
      "production.env": "DATABASE_URL=postgres://app@db.prod.internal/shop\nFEATURE_X=on\n",
      "staging.env": "DATABASE_URL=postgres://app@db.staging.internal/shop\n",
    });
    const { code, stdout, stderr } = await parity(
      cwd,
      "--reporter",
      "text",
      "--reporter",
      "junit=reports/parity.xml",
    );
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toMatch(/staging\s+drift/);
    expect(stdout).toContain("FEATURE_X");
    expect(await readFile(join(cwd, "reports/parity.xml"), "utf8")).toContain('name="staging"');
  });

  it("exit 2 with a pathed message on a bad config, and nothing written", async () => {
    const cwd = await tempDirWith({ "parity.config.yaml": "baseline: production\nenvironments: {}\n" });
    const { code, stdout, stderr } = await parity(cwd, "--reporter", "json=out.json");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /parity: invalid audit config .*parity\.config\.yaml[\s\S]*baseline: "production" is not one of/,
    );
    expect(await readdir(cwd)).toEqual(["parity.config.yaml"]);
  });

  it("exit 2 on an unknown reporter", async () => {
    const cwd = await tempDirWith({ "parity.config.yaml": CONFIG });
    const { code, stderr } = await parity(cwd, "--reporter", "html");
    expect(code).toBe(2);
    expect(stderr).toContain('unknown reporter "html"');
  });
});
