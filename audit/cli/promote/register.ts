// `parity promote`: the CLI face of promoteCommand(). The preview goes to stdout first; exit 0
// applied (or a clean dry run, or nothing to apply), 1 refused or failed (nothing half applied),
// 2 bad input, a missing promotion log or key, or a database that could not be read.

import type { Command } from "commander";
import { findConfigFile } from "../../parity-config/find.ts";
import { warnAboutArgvPasswords } from "../argv-passwords.ts";

interface PromoteFlags {
  from: string;
  to: string;
  config?: string;
  dryRun?: boolean;
  acceptRisk?: string[];
  approvedBy?: string[];
  allowNonTransactional?: boolean;
  planSha256?: string;
  lockTimeout?: string;
  statementTimeout?: string;
  reporter: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command("promote")
    .description(
      "Promote --from's schema to --to: preview (plan, lint on the target's sizes, config keys, Pulumi), snapshot, apply in one transaction, signed record; exit 0 applied, 1 refused or failed, 2 bad input",
    )
    .requiredOption("--from <env>", "environment whose schema is promoted (e.g. staging)")
    .requiredOption("--to <env>", "environment it is promoted to (e.g. production)")
    .option(
      "-c, --config <file>",
      "parity config (default: parity.config.yaml here or in the nearest parent directory)",
    )
    .option("--dry-run", "print the preview and stop (needs no record log or key)")
    .option(
      "--accept-risk <rule>",
      "go ahead despite lint errors of this rule (recorded); repeatable",
      collect,
    )
    .option("--approved-by <name>", "who approved the promotion (recorded); repeatable", collect)
    .option(
      "--allow-non-transactional",
      "run statements that cannot run in a transaction after the commit, each on its own",
    )
    .option("--plan-sha256 <hash>", "apply only if the plan is exactly the one a dry run printed")
    .option("--lock-timeout <seconds>", "lock_timeout of the transaction (default 5)")
    .option("--statement-timeout <seconds>", "statement_timeout of each statement (default 900)")
    .option("-r, --reporter <name>", "text | json", "text")
    .action(async (flags: PromoteFlags) => {
      warnAboutArgvPasswords([flags.from, flags.to]);
      const { promoteCommand } = await import("./command.ts");
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once("SIGINT", onSignal);
      try {
        const { json, exitCode } = await promoteCommand({
          from: flags.from,
          to: flags.to,
          config: flags.config ?? (await findConfigFile(process.cwd())),
          dryRun: flags.dryRun ?? false,
          acceptRisk: flags.acceptRisk ?? [],
          approvedBy: flags.approvedBy ?? [],
          allowNonTransactional: flags.allowNonTransactional ?? false,
          ...(flags.planSha256 !== undefined ? { planSha256: flags.planSha256 } : {}),
          ...(flags.lockTimeout !== undefined ? { lockTimeout: Number(flags.lockTimeout) } : {}),
          ...(flags.statementTimeout !== undefined
            ? { statementTimeout: Number(flags.statementTimeout) }
            : {}),
          reporter: flags.reporter,
          write: (text) => void process.stdout.write(text),
          progress: (line) => void process.stderr.write(`parity: ${line}\n`),
          signal: controller.signal,
        });
        if (json) process.stdout.write(json);
        process.exitCode = exitCode;
      } finally {
        process.off("SIGINT", onSignal);
      }
    });
}
