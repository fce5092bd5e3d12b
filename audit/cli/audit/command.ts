// `parity audit` as a typed function: load the config, run the audit, render every requested
// report. It returns the rendered reports and the exit code; writing them is writeReports(),
// so tests (and the demo) call auditCommand() directly.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import { isReporterName, REPORTER_NAMES, type ReporterName, reporters } from "../../drift/reporters/index.ts";
import { unknownRuleProblems } from "../../drift/runner/ignore.ts";
import type { AuditResult, CheckRegistry, ExitCode } from "../../drift/runner/result.ts";
import { type ProgressEvent, runAudit } from "../../drift/runner/run-audit.ts";
import { loadParityConfig } from "../../parity-config/load.ts";

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
  const config = await loadParityConfig(resolve(cwd, options.config ?? "parity.config.yaml"), {
    ...(options.variables ? { env: options.variables } : {}),
  });
  const { database, config: configChecks, rds } = options.registry;
  const unknownRules = unknownRuleProblems(config.ignore, [...database, ...configChecks, ...rds]);
  if (unknownRules.length > 0)
    throw new ParityInputError(`invalid audit config ${config.file}`, unknownRules);
  const result = await runAudit({
    config,
    registry: options.registry,
    ...(options.environments ? { environments: options.environments } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const reports = requests.map((request) => ({
    ...request,
    content: reporters[request.reporter](result, {
      color: request.file === undefined && !!options.colorStdout,
    }),
  }));
  return { result, reports, exitCode: result.exitCode };
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
  if (problems.length > 0) throw new ParityInputError("invalid --reporter option", problems);
  return requests;
}

export interface WriteTarget {
  write(chunk: string): unknown;
}

/** Files atomically (temp file + rename: never half written), the rest to stdout in order. */
export async function writeReports(reports: readonly RenderedReport[], stdout: WriteTarget): Promise<void> {
  for (const report of reports) {
    if (report.file) await writeFileAtomically(report.file, report.content);
    else stdout.write(report.content);
  }
}

/** A report file that cannot be written is bad input (exit 2) naming the file, not an internal error. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await makeParentDirectories(dirname(file));
    await writeFile(temp, content, { flag: "wx" });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined); // the temp file may never have existed
    throw new ParityInputError(`--reporter: cannot write ${file}: ${(error as Error).message}`);
  }
}

// Not mkdir({ recursive: true }): Node's recursive mkdir spins forever where the parent exists but
// refuses the child with ENOENT (a path under /proc), so the nightly job would hang instead of failing.
async function makeParentDirectories(directory: string): Promise<void> {
  const missing: string[] = [];
  for (let current = directory; !(await exists(current)); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
