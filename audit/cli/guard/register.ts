// `parity guard`: run between `pulumi preview --json` and `pulumi up`; exit 1 when a protected
// database would be replaced or deleted without a declared refresh, 2 on unreadable input.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("guard")
    .description(
      "Refuse a Pulumi update that would replace or delete a protected database without a new clone generation",
    )
    .requiredOption("--preview <file>", "the output of `pulumi preview --json`")
    .option("--json", "print the result as JSON")
    .action(async (flags: { preview: string; json?: boolean }) => {
      const { formatGuardResult, runGuard } = await import("./command.ts");
      const result = await runGuard({ previewFile: flags.preview });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatGuardResult(result));
      process.exitCode = result.exitCode;
    });
}
