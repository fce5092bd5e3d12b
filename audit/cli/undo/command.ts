// `parity undo` as a typed function: find the promotion in the config's record log, undo it by its
// reverse plan (default) or from its snapshot (--restore), append the undo's own signed record.
import { resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import { renderUndoOutcome } from "../../promote/render.ts";
import type { RdsSnapshotOptions } from "../../promote/snapshot/rds-snapshot.ts";
import { type UndoResult, undo } from "../../promote/undo.ts";
import { approversFrom, parseSeconds } from "../promote/command.ts";
import { openPromotionLog } from "../promote/log.ts";

export interface UndoCommandOptions {
  recordId: string;
  config?: string;
  restore?: boolean;
  approvedBy?: readonly string[];
  lockTimeout?: number;
  statementTimeout?: number;
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
  progress?: (line: string) => void;
  rds?: RdsSnapshotOptions;
}

export interface UndoCommandResult {
  result: UndoResult;
  content: string;
  exitCode: 0 | 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function undoCommand(options: UndoCommandOptions): Promise<UndoCommandResult> {
  const cwd = options.cwd ?? process.cwd();
  if (!UUID.test(options.recordId)) {
    throw new ParityInputError(`undo ${options.recordId}: expected a record id (the UUID promote printed)`);
  }
  const approvers = approversFrom(options.approvedBy);
  const config = await loadParityConfig(resolve(cwd, options.config ?? "parity.config.yaml"), {
    ...(options.variables ? { env: options.variables } : {}),
  });
  const log = await openPromotionLog(config, "parity undo");
  const { approversFromGithubEnvironment } = await import("../../promote/record/github-approvers.ts");
  approvers.push(...(await approversFromGithubEnvironment(options.variables ?? process.env)));
  const result = await undo({
    config,
    recordId: options.recordId.toLowerCase(),
    restore: options.restore ?? false,
    approvers,
    log,
    lockTimeoutMs: parseSeconds("--lock-timeout", options.lockTimeout, 5),
    statementTimeoutMs: parseSeconds("--statement-timeout", options.statementTimeout, 900),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.rds ? { rds: options.rds } : {}),
  });
  return { result, content: renderUndoOutcome(result, log.where), exitCode: result.exitCode };
}
