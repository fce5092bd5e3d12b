// `parity plan`: the CLI face of planCommand(). A plan with refusals goes to stderr and no
// file is written; otherwise the plan goes to --out (atomically) or stdout.

import type { Command } from "commander";
import { findConfigFile } from "../../parity-config/find.ts";
import { warnAboutArgvPasswords } from "../argv-passwords.ts";

interface PlanFlags {
  from: string;
  to: string;
  config?: string;
  out?: string;
  reporter: string;
}

export function register(program: Command): void {
  program
    .command("plan")
    .description(
      "The SQL that turns --to's schema into --from's (promote staging to production: --from staging --to production); exit 0 nothing to change, 1 a plan, 2 bad input or refusals",
    )
    .requiredOption("--from <env|url>", "environment (or postgres:// URL) whose schema the plan reproduces")
    .requiredOption("--to <env|url>", "environment (or postgres:// URL) the plan is applied to")
    .option(
      "-c, --config <file>",
      "parity config, for environment names (default: parity.config.yaml here or in the nearest parent directory)",
    )
    .option("-o, --out <file>", "write the plan to this file (JSON when it ends in .json)")
    .option("-r, --reporter <name>", "text (commented SQL) | json", "text")
    .action(async (flags: PlanFlags) => {
      warnAboutArgvPasswords([flags.from, flags.to]);
      const { planCommand, writePlanFile } = await import("./command.ts");
      const result = await planCommand({
        from: flags.from,
        to: flags.to,
        config: flags.config ?? (await findConfigFile(process.cwd())),
        reporter: flags.reporter,
        ...(flags.out ? { out: flags.out } : {}),
      });
      if (result.exitCode === 2) {
        process.stderr.write(result.content);
        process.stderr.write(
          `parity: refused to plan ${result.plan.refusals.length} object(s); nothing written\n`,
        );
      } else if (result.out) {
        await writePlanFile(result.out, result.content);
        process.stderr.write(
          `parity: ${result.plan.statements.length} statement(s) written to ${result.out}\n`,
        );
      } else {
        process.stdout.write(result.content);
      }
      process.exitCode = result.exitCode;
    });
}
