// parity audit in CI as a stranger uses it: rule levels from the config, --max-warnings, --quiet,
// report destinations that cannot hurt (a FIFO, /dev/stderr, a symlink, the config itself),
// a closed stdout pipe, colours, and the config found from a sub-directory.
import { execFile, execFileSync, spawn } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { auditCommand, writeReports } from "../../audit/cli/audit/command.ts";
import { colorWanted } from "../../audit/cli/color.ts";
import { ParityInputError } from "../../audit/core/errors.ts";
import { findConfigFile } from "../../audit/parity-config/find.ts";
import { levelFor } from "../../audit/parity-config/rule-levels.ts";
import { tempDirWith } from "./support/files.ts";
import { dotenvKeysCheck, registryOf } from "./support/test-checks.ts";

const ruledCheck = {
  ...dotenvKeysCheck,
  rules: [
    { id: "test/key-missing", description: "", defaultSeverity: "error" as const, messages: {} },
    { id: "test/key-extra", description: "", defaultSeverity: "warning" as const, messages: {} },
  ],
};
const registry = registryOf({ config: [ruledCheck] });

const CONFIG = `
baseline: production
environments:
  production: { config: { dotenv: { file: production.env } } }
  staging: { config: { dotenv: { file: staging.env } } }
`;

/** staging lacks B (test/key-missing, error) and has C (test/key-extra, warning). */
async function project(extra = "", files: Record<string, string> = {}) {
  return tempDirWith({
    "parity.config.yaml": CONFIG + extra,
    "production.env": "A=1\nB=2\n",
    "staging.env": "A=1\nC=3\n",
    ...files,
  });
}

describe("levelFor: the most specific entry wins", () => {
  it.each([
    [
      [
        ["test/*", "error"],
        ["test/key-extra", "off"],
      ],
      "test/key-extra",
      "off",
    ],
    [
      [
        ["test/key-extra", "off"],
        ["test/*", "error"],
      ],
      "test/key-extra",
      "off",
    ],
    [
      [
        ["*", "info"],
        ["test/key-*", "error"],
        ["test/*", "warning"],
      ],
      "test/key-extra",
      "error",
    ],
    [
      [
        ["test/*", "error"],
        ["test/*", "info"],
      ],
      "test/key-extra",
      "info",
    ],
    [[["other/*", "error"]], "test/key-extra", undefined],
  ] as const)("%j → %s is %s", (entries, rule, level) => {
    expect(
      levelFor(
        rule,
        entries.map(([pattern, level]) => ({ pattern, level })),
      ),
    ).toBe(level);
  });
});

describe("rules: in the config, applied by the runner", () => {
  it("raises a warning to an error (exit 1), switches a rule off, and counts the summary after", async () => {
    const cwd = await project('rules:\n  "test/*": error\n  test/key-missing: "off"\n');
    const outcome = await auditCommand({ cwd, registry, reporters: ["json"] });
    expect(outcome.result.findings.map((f) => [f.ruleId, f.severity])).toEqual([["test/key-extra", "error"]]);
    expect(outcome.result.summary).toMatchObject({ errors: 1, warnings: 0 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.result.checks[0]?.status).toBe("failed");
  });

  it("lowers the only error to info: exit 0", async () => {
    const cwd = await project("rules:\n  test/key-missing: info\n");
    const outcome = await auditCommand({ cwd, registry });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.result.summary).toMatchObject({ errors: 0, warnings: 1, infos: 1 });
  });

  it("an ignore entry for a rule switched off is unused, and says so", async () => {
    const cwd = await project(
      'rules:\n  test/key-missing: "off"\nignore:\n  - { rule: test/key-missing, object: B, reason: known }\n',
    );
    const outcome = await auditCommand({ cwd, registry });
    expect(outcome.result.findings.map((f) => f.ruleId)).toContain("audit/ignore-unused");
  });

  it("an unknown rule pattern is a config error (exit 2) reported with the other problems", async () => {
    const cwd = await project(
      'rules:\n  "tset/*": error\nignore:\n  - { rule: test/key-mising, object: B, reason: x }\n',
    );
    const error = await auditCommand({ cwd, registry }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([
      expect.stringMatching(/^rules\."tset\/\*": matches no rule/),
      expect.stringMatching(
        /^ignore\[0\]\.rule: "test\/key-mising" matches no rule \(did you mean "test\/key-missing"\?\)/,
      ),
    ]);
  });
});

describe("--max-warnings and --quiet", () => {
  it("exit 1 on more warnings than allowed, even with no error", async () => {
    const cwd = await project("rules:\n  test/key-missing: warning\n");
    expect((await auditCommand({ cwd, registry })).exitCode).toBe(0);
    expect((await auditCommand({ cwd, registry, maxWarnings: 2 })).exitCode).toBe(0);
    expect((await auditCommand({ cwd, registry, maxWarnings: 1 })).exitCode).toBe(1);
  });

  it("--quiet reports errors only; the exit code is unchanged", async () => {
    const cwd = await project();
    const outcome = await auditCommand({ cwd, registry, quiet: true, reporters: ["json"] });
    const report = JSON.parse(outcome.reports[0]?.content ?? "{}");
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["test/key-missing"]);
    expect(outcome.exitCode).toBe(1);
  });
});

describe("report destinations", () => {
  it("refuses to write onto the config or an input file, before anything is read", async () => {
    const cwd = await project();
    const error = await auditCommand({
      cwd,
      registry: registryOf({ config: [{ ...ruledCheck, read: () => Promise.reject(new Error("read!")) }] }),
      reporters: ["json=parity.config.yaml", "junit=staging.env"],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([
      expect.stringMatching(/parity\.config\.yaml is .*parity\.config\.yaml, which the audit reads/),
      expect.stringMatching(/staging\.env is .*staging\.env, which the audit reads/),
    ]);
    expect(await readFile(join(cwd, "parity.config.yaml"), "utf8")).toBe(CONFIG);
  });

  it("refuses two reporters onto one stream: two on stdout, or two names of one file", async () => {
    const cwd = await project("", { "report.json": "" });
    await symlink(join(cwd, "report.json"), join(cwd, "alias.json"));
    for (const reporters of [
      ["json", "markdown"],
      ["json=report.json", "junit=alias.json"],
    ]) {
      const error = await auditCommand({ cwd, registry, reporters }).catch((caught: unknown) => caught);
      expect(error, reporters.join(" ")).toBeInstanceOf(ParityInputError);
      expect((error as Error).message).toMatch(/two reporters write to stdout|are the same destination/);
    }
  });

  it("checks every destination before the audit runs: an unwritable one costs no read", async () => {
    const cwd = await project("", { "not-a-dir": "x" });
    let reads = 0;
    const counting = registryOf({
      config: [
        {
          ...ruledCheck,
          read: (...args) => {
            reads += 1;
            return ruledCheck.read(...args);
          },
        },
      ],
    });
    const error = await auditCommand({
      cwd,
      registry: counting,
      reporters: ["json=not-a-dir/report.json", `junit=${cwd}`],
    }).catch((caught: unknown) => caught);
    expect((error as ParityInputError).problems).toEqual([
      expect.stringMatching(/cannot write .*not-a-dir\/report\.json: .*not-a-dir is not a directory/),
      expect.stringMatching(/is a directory; name a file in it/),
    ]);
    expect(reads).toBe(0);
  });

  it("writes through a symlink to its target, keeping the link", async () => {
    const cwd = await project("", { "real.json": "old" });
    await symlink("real.json", join(cwd, "link.json"));
    const outcome = await auditCommand({ cwd, registry, reporters: ["json=link.json"] });
    await writeReports(outcome.reports, { write: () => true });
    expect((await lstat(join(cwd, "link.json"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(cwd, "link.json"))).toBe("real.json");
    expect(JSON.parse(await readFile(join(cwd, "real.json"), "utf8")).summary.errors).toBe(1);
  });

  it.runIf(existsSync("/usr/bin/mkfifo"))("writes through a FIFO, never replacing it", async () => {
    const cwd = await project();
    const fifo = join(cwd, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    const outcome = await auditCommand({ cwd, registry, reporters: ["json=report.fifo"] });
    const received = new Promise<string>((resolve, reject) => {
      let text = "";
      createReadStream(fifo, "utf8")
        .on("data", (chunk) => {
          text += chunk;
        })
        .on("end", () => resolve(text))
        .on("error", reject);
    });
    await writeReports(outcome.reports, { write: () => true });
    expect(JSON.parse(await received).summary.errors).toBe(1);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it.runIf(existsSync("/usr/bin/mkfifo"))(
    "a FIFO no process reads is an error at once, not a hang",
    async () => {
      const cwd = await project();
      execFileSync("mkfifo", [join(cwd, "nobody.fifo")]);
      const outcome = await auditCommand({ cwd, registry, reporters: ["json=nobody.fifo"] });
      await expect(writeReports(outcome.reports, { write: () => true })).rejects.toThrow(
        /cannot write .*nobody\.fifo: it is a FIFO no process is reading/,
      );
    },
  );

  it.runIf(existsSync("/dev/stderr"))("writes through /dev/stderr, which stays a symlink", async () => {
    const child = await promisify(execFile)(
      process.execPath,
      [join(import.meta.dirname, "../../bin/parity.js"), "audit", "-r", "text", "-r", "json=/dev/stderr"],
      { cwd: await project() },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect((child as { code: number }).code, child.stderr).toBe(1);
    expect(JSON.parse(child.stderr).summary.errors).toBe(1);
    expect(child.stdout).toContain("config/missing-key");
    expect((await lstat("/dev/stderr")).isSymbolicLink()).toBe(true);
  });
});

describe("the CLI in a pipeline", () => {
  it("a reader that goes away (EPIPE) leaves the audit's exit code, without a stack trace", async () => {
    const cwd = await project();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [join(import.meta.dirname, "../../bin/parity.js"), "audit", "-r", "json"],
        {
          cwd,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.stdout.destroy(); // `| true`: nobody reads
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(stderr).toBe("");
    expect(code).toBe(1);
  });

  it.each([
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [undefined, { FORCE_COLOR: "1" }, false, true],
    [undefined, { FORCE_COLOR: "0" }, true, false],
    [undefined, { NO_COLOR: "1" }, true, false],
    [false, { FORCE_COLOR: "1" }, true, false],
    [true, { NO_COLOR: "1" }, false, true],
  ] as const)("colour: flag %s, env %j, tty %s → %s", (flag, env, isTTY, expected) => {
    expect(colorWanted(flag, { isTTY }, env)).toBe(expected);
  });

  it("finds parity.config.yaml in the nearest parent directory", async () => {
    const cwd = await project();
    await mkdir(join(cwd, "deep/er"), { recursive: true });
    expect(await findConfigFile(join(cwd, "deep/er"))).toBe(join(cwd, "parity.config.yaml"));
    await writeFile(join(cwd, "deep/parity.config.yaml"), CONFIG);
    expect(await findConfigFile(join(cwd, "deep/er"))).toBe(join(cwd, "deep/parity.config.yaml"));
  });
});
