// `parity clone`: a fresh copy of a database, masked before anyone uses it; prints each step's time.
import type { Command } from "commander";
import { warnAboutArgvPasswords } from "../argv-passwords.ts";
import {
  addConfigOption,
  addKeyOptions,
  type KeyFlags,
  keySource,
  positiveInteger,
} from "../mask/register.ts";

interface CloneFlags extends KeyFlags {
  from: string;
  to: string;
  rules: string;
  replace?: boolean;
  terminateConnections?: boolean;
  wait: number;
  batchSize?: number;
  config?: string;
  iKnowThisIsNotProduction?: boolean;
}

export function register(program: Command): void {
  addConfigOption(
    addKeyOptions(
      program
        .command("clone")
        .description(
          "Copy a database (same server: CREATE DATABASE … TEMPLATE; else pg_dump | psql) and mask the copy",
        )
        .requiredOption("--from <url>", "database to copy")
        .requiredOption("--to <name|url>", "new database: a name on the same server as --from, or a URL")
        .requiredOption(
          "--rules <file>",
          "masking rules file (YAML); the copy is masked before the command returns",
        )
        .option(
          "--replace",
          "replace the target if it exists and parity clone made it (never another database)",
        )
        .option(
          "--terminate-connections",
          "terminate other sessions on the source (TEMPLATE copies need it idle)",
        )
        .option("--wait <seconds>", "how long to wait for the source to become idle", positiveInteger, 10)
        .option("--batch-size <rows>", "rows per masking UPDATE batch (default 50000)", positiveInteger)
        .option(
          "--i-know-this-is-not-production",
          "clone to a target whose host looks like production, or that the parity config names as production",
        ),
    ),
  ).action(async (flags: CloneFlags) => {
    const { cloneCommand, formatCloneResult } = await import("../../masking/clone-database.ts");
    warnAboutArgvPasswords([flags.from, flags.to]);
    const result = await cloneCommand({
      onWarning: (message: string) => process.stderr.write(`parity: warning: ${message}\n`),
      from: flags.from,
      to: flags.to,
      rules: flags.rules,
      replace: flags.replace ?? false,
      terminateConnections: flags.terminateConnections ?? false,
      waitSeconds: flags.wait,
      ...(flags.config === undefined ? {} : { config: flags.config }),
      ...(flags.iKnowThisIsNotProduction ? { allowProductionName: true } : {}),
      ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
      ...keySource(flags),
    });
    process.stdout.write(`${formatCloneResult(result)}\n`);
  });
}
