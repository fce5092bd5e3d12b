// `parity undo RECORD_ID`: the CLI face of undoCommand(). Exit 0 undone, 1 refused (the target
// changed since, or the reverse plan cannot bring the data back: use --restore) or failed, 2 bad input.

import type { Command } from "commander";
import { findConfigFile } from "../../parity-config/find.ts";

interface UndoFlags {
  config?: string;
  restore?: boolean;
  approvedBy?: string[];
  lockTimeout?: string;
  statementTimeout?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command("undo")
    .description(
      "Undo a promotion by its record id: its reverse plan in one transaction (while the target is still as promoted), or --restore its snapshot; writes its own signed record",
    )
    .argument("<record-id>", "the promotion's record id (printed by parity promote)")
    .option(
      "-c, --config <file>",
      "parity config (default: parity.config.yaml here or in the nearest parent directory)",
    )
    .option(
      "--restore",
      "restore the pre-promotion snapshot instead (embedded: replace the database from its copy; RDS: a new instance or cluster)",
    )
    .option("--approved-by <name>", "who approved the undo (recorded); repeatable", collect)
    .option("--lock-timeout <seconds>", "lock_timeout of the transaction (default 5)")
    .option("--statement-timeout <seconds>", "statement_timeout of each statement (default 900)")
    .action(async (recordId: string, flags: UndoFlags) => {
      const { undoCommand } = await import("./command.ts");
      const { content, exitCode } = await undoCommand({
        recordId,
        config: flags.config ?? (await findConfigFile(process.cwd())),
        restore: flags.restore ?? false,
        approvedBy: flags.approvedBy ?? [],
        ...(flags.lockTimeout !== undefined ? { lockTimeout: Number(flags.lockTimeout) } : {}),
        ...(flags.statementTimeout !== undefined ? { statementTimeout: Number(flags.statementTimeout) } : {}),
        progress: (line) => void process.stderr.write(`parity: ${line}\n`),
      });
      process.stdout.write(content);
      process.exitCode = exitCode;
    });
}
