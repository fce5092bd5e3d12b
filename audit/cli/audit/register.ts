// `parity audit`: the CLI face of auditCommand(). Parses flags, shows progress on a TTY,
// writes the rendered reports and sets the exit code. Heavy modules load only when it runs.
import { type Command, InvalidArgumentError, Option } from "commander";

interface AuditFlags {
  config?: string;
  reporter?: string[];
  env?: string[];
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
}

// No default array for the repeatable flags: commander would print "(default: [])" in --help.
const collect = (value: string, previous: string[] = []) => [...previous, value];

const count = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("give a whole number of warnings (0 or more)");
  return Number(value);
};

export function register(program: Command): void {
  program
    .command("audit")
    .description("Compare every environment in the config with the baseline; exit 1 on drift, 2 on bad input")
    .option(
      "-c, --config <file>",
      "audit config file (default: parity.config.yaml here or in the nearest parent directory)",
    )
    .option(
      "-r, --reporter <name[=file]>",
      "text | json | junit | markdown | github, to stdout or to file; repeatable (default: text)",
      collect,
    )
    .option("-e, --env <name>", "audit only this environment against the baseline; repeatable", collect)
    .option("--max-warnings <n>", "exit 1 when there are more than n warnings", count)
    .option("-q, --quiet", "report errors only (warnings still count for --max-warnings)")
    .addOption(new Option("--color", "colour the text report (default: when stdout is a terminal)"))
    .addOption(new Option("--no-color", "never colour the text report"))
    .action(async (flags: AuditFlags) => {
      const [
        { auditCommand, writeReports },
        { createProgress },
        { defaultRegistry },
        { findConfigFile },
        { colorWanted },
      ] = await Promise.all([
        import("./command.ts"),
        import("../../drift/runner/progress.ts"),
        import("../../drift/checks/index.ts"),
        import("../../parity-config/find.ts"),
        import("../color.ts"),
      ]);
      keepExitCodeOnClosedPipe();
      const progress = createProgress(process.stderr);
      // Ctrl-C or a CI cancel: every query is cancelled on its server and every connection closed
      // (pg-client.ts), then exit 130 / 143. A second signal exits at once.
      const controller = new AbortController();
      let interrupted: NodeJS.Signals | undefined;
      const onSignal = (name: NodeJS.Signals) => {
        if (interrupted) process.exit(exitCodeOf(name));
        interrupted = name;
        controller.abort(new Error(`interrupted (${name})`));
        // Whatever is left after cancelling must not keep the job alive.
        setTimeout(() => process.exit(exitCodeOf(name)), 5000).unref();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        const { reports, exitCode } = await auditCommand({
          signal: controller.signal,
          config: flags.config ?? (await findConfigFile(process.cwd())),
          reporters: flags.reporter ?? [],
          environments: flags.env ?? [],
          registry: defaultRegistry,
          colorStdout: colorWanted(flags.color, process.stdout, process.env),
          onProgress: progress.onProgress,
          ...(flags.maxWarnings !== undefined ? { maxWarnings: flags.maxWarnings } : {}),
          ...(flags.quiet ? { quiet: true } : {}),
        });
        progress.stop();
        if (interrupted) return stopInterrupted(interrupted);
        await writeReports(reports, process.stdout);
        process.exitCode = exitCode;
      } catch (error) {
        if (interrupted) return stopInterrupted(interrupted);
        throw error;
      } finally {
        progress.stop();
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}

/** 128 + the signal's number, as a shell reports a process the signal ended. */
function exitCodeOf(signal: NodeJS.Signals): number {
  return signal === "SIGTERM" ? 143 : 130;
}

/** An interrupted audit reports nothing: a half-read comparison would be wrong both ways. */
function stopInterrupted(signal: NodeJS.Signals): void {
  process.stderr.write(
    `parity: interrupted (${signal}); queries cancelled, connections closed, nothing reported\n`,
  );
  process.exitCode = exitCodeOf(signal);
}

/**
 * `parity audit | head -1`: the reader goes away and stdout's next write fails with EPIPE, which
 * unhandled is a stack trace and exit 1 ("drift") for a clean run. What was not read is dropped;
 * the exit code stays the audit's.
 */
function keepExitCodeOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners("error").includes(ignoreEpipe)) continue;
    stream.on("error", ignoreEpipe);
  }
}

function ignoreEpipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
}
