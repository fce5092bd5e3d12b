// `parity lint` as a typed function: resolve the target (an environment of the config, or a URL),
// lint the migrations against its real numbers, render the reports. Tests and the demo call it.

import { resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import {
  githubReporter,
  jsonReporter,
  junitReporter,
  markdownReporter,
} from "../../drift/reporters/index.ts";
import { ruleRegistry } from "../../drift/rules/index.ts";
import type { ExitCode } from "../../drift/runner/result.ts";
import { type LintResult, toAuditResult } from "../../lint/result.ts";
import { lintRules } from "../../lint/rules/index.ts";
import { type MigrationSource, runLint } from "../../lint/run.ts";
import { resolveLintSettings } from "../../lint/settings.ts";
import { lintTextReporter } from "../../lint/text-report.ts";
import { findConfigFile } from "../../parity-config/find.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import type { ParityConfig } from "../../parity-config/types.ts";
import { parseReporterRequests, type RenderedReport } from "../audit/command.ts";

export interface LintCommandOptions {
  /** Migration files, in the order they run. */
  files?: readonly string[];
  /** A plan.json from `parity plan --out`, instead of files. */
  plan?: string;
  /** An environment of the config, or a postgres:// URL. */
  against: string;
  /** Config file; read when --against names an environment, or when given. */
  config?: string;
  reporters?: readonly string[];
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
  colorStdout?: boolean;
  now?: Date;
}

export interface LintCommandResult {
  result: LintResult;
  reports: RenderedReport[];
  exitCode: ExitCode;
}

const URL_PATTERN = /^postgres(ql)?:\/\//;

const render = {
  text: (result: LintResult, color: boolean) => lintTextReporter(result, { color }),
  json: (result: LintResult) => jsonReporter(toAuditResult(result)),
  junit: (result: LintResult) => junitReporter(toAuditResult(result)),
  markdown: (result: LintResult) => markdownReporter(toAuditResult(result)),
  github: (result: LintResult) => githubReporter(toAuditResult(result)),
};

export async function lintCommand(options: LintCommandOptions): Promise<LintCommandResult> {
  const cwd = options.cwd ?? process.cwd();
  const requests = parseReporterRequests(options.reporters ?? [], cwd);
  const sources = migrationSources(options);
  const isUrl = URL_PATTERN.test(options.against);
  const config =
    !isUrl || options.config !== undefined
      ? await loadParityConfig(options.config ? resolve(cwd, options.config) : await findConfigFile(cwd), {
          ...(options.variables ? { env: options.variables } : {}),
          ruleIds: [...ruleRegistry.map((rule) => rule.id), ...lintRules.map((rule) => rule.meta.id)],
        })
      : undefined;
  const target = isUrl
    ? { url: options.against, environment: describeUrl(options.against) }
    : targetOf(config, options.against);
  const result = await runLint({
    sources,
    target,
    settings: resolveLintSettings(config?.lint),
    ignore: config?.lint?.ignore ?? [],
    rules: config?.rules ?? [],
    configFile: config?.file ?? null,
    cwd,
    ...(options.now ? { now: options.now } : {}),
  });
  const reports = requests.map((request) => ({
    ...request,
    content: render[request.reporter](result, request.file === undefined && !!options.colorStdout),
  }));
  return { result, reports, exitCode: result.exitCode };
}

function migrationSources(options: LintCommandOptions): MigrationSource[] {
  const files = options.files ?? [];
  if (options.plan !== undefined && files.length > 0) {
    throw new ParityInputError("give migration files or --plan plan.json, not both");
  }
  if (options.plan !== undefined) return [{ planFile: options.plan }];
  if (files.length === 0)
    throw new ParityInputError("nothing to lint: give migration .sql files or --plan plan.json");
  return files.map((file) => ({ sqlFile: file }));
}

function targetOf(config: ParityConfig | undefined, name: string): { url: string; environment: string } {
  const known = Object.keys(config?.environments ?? {});
  const environment = config?.environments[name];
  if (!config || !environment) {
    throw new ParityInputError(
      `--against ${name}: not a postgres:// URL and not an environment of ${config?.file ?? "the config"} (environments: ${known.join(", ") || "none"})`,
    );
  }
  const url = environment.database?.url;
  if (!url)
    throw new ParityInputError(
      `--against ${name}: environment "${name}" in ${config.file} declares no database`,
    );
  if (url.includes("${pulumi.")) {
    throw new ParityInputError(
      `--against ${name}: its database URL comes from Pulumi outputs; pass the URL itself for now`,
    );
  }
  return { url, environment: name };
}

/** `db.internal:5432/shop`: where the numbers came from, without user or password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    throw new ParityInputError("--against: not a valid postgres:// URL");
  }
}
