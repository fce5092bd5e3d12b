// `parity promote` as a typed function: load the config, open the record log (unless a dry run),
// run the promotion, render what to print. Tests and the demo call it.
import { resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import { ruleRegistry } from "../../drift/rules/index.ts";
import { lintRules } from "../../lint/rules/index.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import type { Preview } from "../../promote/preview.ts";
import { type PromoteResult, promote } from "../../promote/promote.ts";
import type { Approver } from "../../promote/record/record-file.ts";
import { renderPreview, renderPromoteOutcome } from "../../promote/render.ts";
import type { RdsSnapshotOptions } from "../../promote/snapshot/rds-snapshot.ts";
import { openPromotionLog } from "./log.ts";

export const PROMOTE_REPORTERS = ["text", "json"] as const;

export interface PromoteCommandOptions {
  from: string;
  to: string;
  config?: string;
  dryRun?: boolean;
  acceptRisk?: readonly string[];
  approvedBy?: readonly string[];
  allowNonTransactional?: boolean;
  planSha256?: string;
  /** Seconds. */
  lockTimeout?: number;
  statementTimeout?: number;
  reporter?: string;
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
  /** Where the preview and progress go as they happen (the CLI: stdout / stderr). */
  write?: (text: string) => void;
  progress?: (line: string) => void;
  rds?: RdsSnapshotOptions;
  pulumiPath?: string;
  signal?: AbortSignal;
  /** Test hook: runs between the preview and the apply. */
  afterPreview?: (preview: Preview) => Promise<void>;
}

export interface PromoteCommandResult {
  result: PromoteResult;
  /** For --reporter json: the whole result as one document (written at the end). */
  json?: string;
  exitCode: 0 | 1;
}

export function parseSeconds(flag: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  if (!Number.isFinite(value) || value <= 0 || value > 86_400) {
    throw new ParityInputError(`${flag}: expected a number of seconds between 0 and 86400`);
  }
  return value * 1000;
}

export function approversFrom(names: readonly string[] | undefined): Approver[] {
  return (names ?? []).map((name) => {
    if (name.trim() === "") throw new ParityInputError("--approved-by: a name must not be empty");
    return { name: name.trim(), source: "command-line" as const };
  });
}

export async function promoteCommand(options: PromoteCommandOptions): Promise<PromoteCommandResult> {
  const cwd = options.cwd ?? process.cwd();
  const reporter = options.reporter ?? "text";
  if (!(PROMOTE_REPORTERS as readonly string[]).includes(reporter)) {
    throw new ParityInputError(`--reporter ${reporter}: expected one of ${PROMOTE_REPORTERS.join(", ")}`);
  }
  const pinned = options.planSha256;
  if (pinned !== undefined && !/^[0-9a-fA-F]{64}$/.test(pinned)) {
    throw new ParityInputError("--plan-sha256: expected the 64 hex digits a dry run printed");
  }
  const lockTimeoutMs = parseSeconds("--lock-timeout", options.lockTimeout, 5);
  const statementTimeoutMs = parseSeconds("--statement-timeout", options.statementTimeout, 900);
  const approvers = approversFrom(options.approvedBy);
  const config = await loadParityConfig(resolve(cwd, options.config ?? "parity.config.yaml"), {
    ...(options.variables ? { env: options.variables } : {}),
    ruleIds: [...ruleRegistry.map((rule) => rule.id), ...lintRules.map((rule) => rule.meta.id)],
  });
  const log = options.dryRun ? undefined : await openPromotionLog(config, "parity promote");
  if (!options.dryRun) {
    // In GitHub Actions on a pull request: its approving reviewers too (none elsewhere).
    const { approversFromGithubEnvironment } = await import("../../promote/record/github-approvers.ts");
    approvers.push(...(await approversFromGithubEnvironment(options.variables ?? process.env)));
  }
  const write = options.write ?? (() => {});
  const text = reporter === "text";
  const result = await promote({
    config,
    from: options.from,
    to: options.to,
    dryRun: options.dryRun ?? false,
    acceptRisk: options.acceptRisk ?? [],
    approvers,
    allowNonTransactional: options.allowNonTransactional ?? false,
    ...(pinned ? { expectedPlanSha256: pinned } : {}),
    lockTimeoutMs,
    statementTimeoutMs,
    ...(log ? { log } : {}),
    ...(options.rds ? { rds: options.rds } : {}),
    ...(options.pulumiPath !== undefined ? { pulumiPath: options.pulumiPath } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    onPreview: async (preview) => {
      // The preview is printed before anything is applied.
      if (text) write(renderPreview(preview));
      await options.afterPreview?.(preview);
    },
  });
  if (text) {
    write(`\n${renderPromoteOutcome(result, log?.where)}`);
    return { result, exitCode: result.exitCode };
  }
  const { targetSchema: _schema, ...preview } = result.preview;
  const json = `${JSON.stringify({ status: result.status, reasons: result.reasons, preview, record: result.record ?? null, where: log?.where ?? null }, null, 2)}\n`;
  return { result, json, exitCode: result.exitCode };
}
