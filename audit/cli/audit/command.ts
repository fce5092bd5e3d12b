// `parity audit` as a typed function: load the config, run the audit, render every requested
// report. It returns the rendered reports and the exit code; writing them is writeReports(),
// so tests (and the demo) call auditCommand() directly.
import { resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import { withConnectionScope } from "../../core/pg-client.ts";
import { isReporterName, REPORTER_NAMES, type ReporterName, reporters } from "../../drift/reporters/index.ts";
import { ignoreListRules } from "../../drift/runner/ignore.ts";
import type { AuditResult, CheckRegistry, ExitCode } from "../../drift/runner/result.ts";
import { type ProgressEvent, runAudit } from "../../drift/runner/run-audit.ts";
import { LINT_RULE_IDS } from "../../lint/rules/ids.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import { checkDestinations, inputFilesOf, writeReportFile } from "./report-destinations.ts";

export interface ReporterRequest {
  reporter: ReporterName;
  /** Absolute path to write to; stdout when absent. */
  file?: string;
}

export interface AuditCommandOptions {
  /** Config file (default `parity.config.yaml`, relative to cwd). */
  config?: string;
  /** `NAME` or `NAME=FILE`, repeatable (default: `text` to stdout). */
  reporters?: readonly string[];
  /** Target environments to audit (default: all). */
  environments?: readonly string[];
  /** The checks to run per source kind. */
  registry: CheckRegistry;
  cwd?: string;
  /** Variables for `${VAR}` in the config (default: process.env). */
  variables?: Readonly<Record<string, string | undefined>>;
  now?: Date;
  /** Render the text reporter with colours when it goes to stdout (the CLI: stdout is a TTY). */
  colorStdout?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Exit 1 when there are more warnings than this, as ESLint's --max-warnings. */
  maxWarnings?: number;
  /** Report only error-severity findings (warnings still count for maxWarnings). */
  quiet?: boolean;
  /** File descriptor of stdout, to tell a report file that is stdout itself (default 1). */
  stdoutFd?: number;
}

export interface RenderedReport extends ReporterRequest {
  content: string;
}

export interface AuditCommandResult {
  result: AuditResult;
  reports: RenderedReport[];
  exitCode: ExitCode;
}

export async function auditCommand(options: AuditCommandOptions): Promise<AuditCommandResult> {
  const cwd = options.cwd ?? process.cwd();
  // Flags first: a typo in --reporter should not cost a full audit.
  const requests = parseReporterRequests(options.reporters ?? [], cwd);
  const { database, config: configChecks, rds } = options.registry;
  const checks = [...database, ...configChecks, ...rds];
  // Rule ids let the loader report a typo in `rules:` or `ignore` with every other config problem.
  const ruleIds = checks.every((check) => check.rules !== undefined)
    ? [
        ...[...checks.flatMap((check) => check.rules ?? []), ...ignoreListRules].map((rule) => rule.id),
        // One config serves `parity lint` too: its rule levels are valid here.
        ...LINT_RULE_IDS,
      ]
    : undefined;
  const config = await loadParityConfig(resolve(cwd, options.config ?? "parity.config.yaml"), {
    ...(options.variables ? { env: options.variables } : {}),
    ...(ruleIds ? { ruleIds } : {}),
  });
  // Every destination is checked before any environment is read: a bad path costs no audit.
  await checkDestinations(requests, inputFilesOf(config), options.stdoutFd);
  const result = await withConnectionScope(config.connections, () =>
    runAudit({
      config,
      registry: options.registry,
      ...(options.environments ? { environments: options.environments } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  const shown = options.quiet ? errorsOnly(result) : result;
  const reports = requests.map((request) => ({
    ...request,
    content: reporters[request.reporter](shown, {
      color: request.file === undefined && !!options.colorStdout,
    }),
  }));
  return { result, reports, exitCode: exitCodeOf(result, options.maxWarnings) };
}

/** The audit's exit code, and 1 for a clean run with more warnings than `maxWarnings`. */
export function exitCodeOf(result: AuditResult, maxWarnings: number | undefined): ExitCode {
  if (result.exitCode !== 0 || maxWarnings === undefined) return result.exitCode;
  return result.summary.warnings > maxWarnings ? 1 : 0;
}

/** `--quiet`: the result as reporters see it, with only error-severity findings. */
export function errorsOnly(result: AuditResult): AuditResult {
  const isError = (finding: { severity: string }) => finding.severity === "error";
  return {
    ...result,
    findings: result.findings.filter(isError),
    checks: result.checks.map((check) => ({ ...check, findings: check.findings.filter(isError) })),
  };
}

/** `text`, `json=reports/parity.json`; every problem reported at once. */
export function parseReporterRequests(specs: readonly string[], cwd: string): ReporterRequest[] {
  const problems: string[] = [];
  const requests: ReporterRequest[] = [];
  for (const spec of specs.length > 0 ? specs : ["text"]) {
    const separator = spec.indexOf("=");
    const name = separator === -1 ? spec : spec.slice(0, separator);
    const file = separator === -1 ? undefined : spec.slice(separator + 1);
    if (!isReporterName(name)) {
      problems.push(
        `--reporter ${spec}: unknown reporter "${name}" (choose from ${REPORTER_NAMES.join(", ")})`,
      );
      continue;
    }
    if (file === "") {
      problems.push(`--reporter ${spec}: give a file after "=", or leave "=" out to write to stdout`);
      continue;
    }
    requests.push(file === undefined ? { reporter: name } : { reporter: name, file: resolve(cwd, file) });
  }
  const files = requests.flatMap((request) => (request.file ? [request.file] : []));
  for (const file of new Set(files.filter((file, index) => files.indexOf(file) !== index))) {
    problems.push(`--reporter: two reporters write to ${file}`);
  }
  if (requests.filter((request) => !request.file).length > 1) {
    problems.push("--reporter: two reporters write to stdout; give all but one a file (NAME=FILE)");
  }
  if (problems.length > 0) throw new ParityInputError("invalid --reporter option", problems);
  return requests;
}

export interface WriteTarget {
  write(chunk: string): unknown;
}

/** Each report to its file (see report-destinations.ts), the rest to stdout in order. */
export async function writeReports(reports: readonly RenderedReport[], stdout: WriteTarget): Promise<void> {
  for (const report of reports) {
    if (report.file) await writeReportFile(report.file, report.content);
    else stdout.write(report.content);
  }
}
