// `parity audit`: the CLI face of auditCommand(). Parses flags, shows progress on a TTY,
// writes the rendered reports and sets the exit code. Heavy modules load only when it runs.
import type { Command } from "commander";

interface AuditFlags {
  config: string;
  reporter?: string[];
  env?: string[];
}

// No default array for the repeatable flags: commander would print "(default: [])" in --help.
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command("audit")
    .description("Compare every environment in the config with the baseline; exit 1 on drift, 2 on bad input")
    .option("-c, --config <file>", "audit config file", "parity.config.yaml")
    .option(
      "-r, --reporter <name[=file]>",
      "text | json | junit | markdown, to stdout or to file; repeatable (default: text)",
      collect,
    )
    .option("-e, --env <name>", "audit only this environment against the baseline; repeatable", collect)
    .action(async (flags: AuditFlags) => {
      const [{ auditCommand, writeReports }, { createProgress }, { defaultRegistry }] = await Promise.all([
        import("./command.ts"),
        import("../../drift/runner/progress.ts"),
        import("../../drift/checks/index.ts"),
      ]);
      const progress = createProgress(process.stderr);
      try {
        const { reports, exitCode } = await auditCommand({
          config: flags.config,
          reporters: flags.reporter ?? [],
          environments: flags.env ?? [],
          registry: defaultRegistry,
          colorStdout: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
          onProgress: progress.onProgress,
        });
        progress.stop();
        await writeReports(reports, process.stdout);
        process.exitCode = exitCode;
      } finally {
        progress.stop();
      }
    });
}
