// What one `parity lint` run produced, and its adapter to the audit's AuditResult so the audit's
// json, junit and markdown reporters render it unchanged: the target is the one environment, each
// migration file one check (a JUnit test case per file, a Markdown section per file).
import type { Finding } from "../core/finding.ts";
import type { IgnoredFinding } from "../drift/runner/ignore.ts";
import type { AuditResult, ExitCode } from "../drift/runner/result.ts";

export interface LintedMigration {
  /** As the user named it. */
  file: string;
  statements: number;
  /** Reported findings (after the ignore list), in statement order. */
  findings: Finding[];
  ignoredCount: number;
}

export interface LintResult {
  /** The config file the settings came from, or null when --against was a URL and none was given. */
  configFile: string | null;
  /** The environment name, or the URL without its password. */
  target: string;
  serverVersionNum: number;
  migrations: LintedMigration[];
  findings: Finding[];
  ignored: IgnoredFinding[];
  /** 0 no error-severity finding, 1 at least one. (Bad input and unreadable targets throw: exit 2.) */
  exitCode: ExitCode;
  startedAt: string;
  durationMs: number;
}

export function lintExitCode(findings: readonly Finding[]): ExitCode {
  return findings.some((finding) => finding.severity === "error") ? 1 : 0;
}

export function toAuditResult(result: LintResult): AuditResult {
  const count = (severity: Finding["severity"]) =>
    result.findings.filter((finding) => finding.severity === severity).length;
  return {
    configFile: result.configFile ?? "(none: --against was a URL)",
    baseline: result.migrations.map((migration) => migration.file).join(", "),
    targets: [result.target],
    environments: [{ name: result.target, role: "target", status: result.exitCode === 1 ? "drift" : "ok" }],
    checks: result.migrations.map((migration) => ({
      environment: result.target,
      check: `lint ${migration.file}`,
      source: "database",
      status: migration.findings.some((finding) => finding.severity === "error") ? "failed" : "passed",
      findings: migration.findings,
      ignoredCount: migration.ignoredCount,
    })),
    findings: result.findings,
    ignored: result.ignored,
    errors: [],
    summary: {
      environments: 1,
      errors: count("error"),
      warnings: count("warning"),
      infos: count("info"),
      ignored: result.ignored.length,
      unreadable: 0,
    },
    exitCode: result.exitCode,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
  };
}
