// `parity lint`: the CLI face of lintCommand(). Exit 0 clean, 1 error findings, 2 bad input (a SQL
// syntax error names file, line and column) or a target that could not be read.

import type { Command } from "commander";
import { warnAboutArgvPasswords } from "../argv-passwords.ts";

interface LintFlags {
  against: string;
  plan?: string;
  config?: string;
  reporter?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command("lint")
    .description(
      "Judge migration SQL against a target's real sizes: locks, rewrites, durations, safe rewrites",
    )
    .argument("[files...]", "migration .sql files, in the order they run")
    .requiredOption("-a, --against <env|url>", "environment from the config, or a postgres:// URL")
    .option("-p, --plan <plan.json>", "lint a plan written by `parity plan --out` instead of files")
    .option(
      "-c, --config <file>",
      "parity config (default parity.config.yaml; needed when --against names an environment)",
    )
    .option(
      "-r, --reporter <name[=file]>",
      "text | json | junit | markdown, to stdout or to file; repeatable (default: text)",
      collect,
    )
    .action(async (files: string[], flags: LintFlags) => {
      warnAboutArgvPasswords([flags.against]);
      const [{ lintCommand }, { writeReports }] = await Promise.all([
        import("./command.ts"),
        import("../audit/command.ts"),
      ]);
      const { reports, exitCode } = await lintCommand({
        files,
        against: flags.against,
        ...(flags.plan !== undefined ? { plan: flags.plan } : {}),
        ...(flags.config !== undefined ? { config: flags.config } : {}),
        reporters: flags.reporter ?? [],
        colorStdout: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      });
      await writeReports(reports, process.stdout);
      process.exitCode = exitCode;
    });
}
