// `parity init`: a commented config to start from (and a masking rules skeleton from a database).

import type { Command } from "commander";
import { warnAboutArgvPasswords } from "../argv-passwords.ts";

export function register(program: Command): void {
  program
    .command("init")
    .description("Write a commented parity.config.yaml here (environments from Pulumi stacks when present)")
    .option(
      "--database-url <url>",
      "also write masking.yaml, a masking rules skeleton from this database's columns",
    )
    .option("--dir <dir>", "directory to write into (default: the current directory)")
    .action(async (flags: { databaseUrl?: string; dir?: string }) => {
      warnAboutArgvPasswords([flags.databaseUrl]);
      const { initCommand } = await import("./command.ts");
      const { written, stacks } = await initCommand({
        ...(flags.dir ? { dir: flags.dir } : {}),
        ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
      });
      const from = stacks.length >= 2 ? ` (environments from Pulumi stacks ${stacks.join(", ")})` : "";
      process.stdout.write(
        `${written.map((file) => `wrote ${file}`).join("\n")}${from}\nnext: edit it, then \`parity validate\`\n`,
      );
    });
}
