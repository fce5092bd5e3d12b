// `parity previews`: the per-branch preview stacks — their names, which ones are expired, and the
// reaper a platform team schedules (`parity previews reap`).
import type { Command } from "commander";
import { ParityInputError } from "../../core/errors.ts";

interface StackFlags {
  dir?: string;
  organization?: string;
  now?: string;
  json?: boolean;
}

/**
 * `--now`: an ISO-8601 date (UTC midnight) or a time with its zone (`Z`, `+02:00`): a time without a
 * zone would mean the machine's local time. Anything else is bad input (exit 2), never "now".
 */
export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value) ||
    Number.isNaN(parsed)
  ) {
    throw new ParityInputError(`--now "${value}" is not an ISO-8601 time (e.g. 2026-03-10T00:00:00Z)`);
  }
  return new Date(parsed);
}

function addStackOptions(command: Command): Command {
  return command
    .option("--dir <dir>", "the Pulumi project directory (default: the current directory)")
    .option("--organization <org>", "list the stacks of this Pulumi organization (default: the CLI's)")
    .option("--now <iso>", "decide expiry as of this time instead of now")
    .option("--json", "print the result as JSON");
}

function stackOptions(flags: StackFlags) {
  const now = parseNow(flags.now);
  return {
    ...(flags.dir ? { cwd: flags.dir } : {}),
    ...(flags.organization ? { organization: flags.organization } : {}),
    ...(now ? { now } : {}),
  };
}

export function register(program: Command): void {
  const previews = program
    .command("previews")
    .description("Per-branch preview stacks: their names, their expiry, and the reaper");

  previews
    .command("stack-name")
    .description("Print the preview stack name of a git branch (as the components derive it)")
    .requiredOption("--branch <branch>", "the git branch")
    .action(async (flags: { branch: string }) => {
      const { previewStackName } = await import("../../preview-stacks/stack-name.ts");
      try {
        process.stdout.write(`${previewStackName(flags.branch)}\n`);
      } catch (error) {
        throw new ParityInputError(`--branch: ${(error as Error).message}`);
      }
    });

  addStackOptions(
    previews.command("list").description("List the project's preview stacks and when each expires"),
  ).action(async (flags: StackFlags) => {
    const [{ listPreviews }, { formatPreviewList }] = await Promise.all([
      import("./command.ts"),
      import("./format.ts"),
    ]);
    const list = await listPreviews(stackOptions(flags));
    process.stdout.write(`${flags.json ? JSON.stringify(list, null, 2) : formatPreviewList(list)}\n`);
    process.exitCode = list.exitCode;
  });

  addStackOptions(
    previews
      .command("reap")
      .description(
        "Destroy and remove every expired preview stack (never production or staging); exit 2 if one failed",
      )
      .option("--dry-run", "only say what would be destroyed"),
  ).action(async (flags: StackFlags & { dryRun?: boolean }) => {
    const [{ reapPreviews }, { formatReapResult }] = await Promise.all([
      import("./command.ts"),
      import("./format.ts"),
    ]);
    const result = await reapPreviews({
      ...stackOptions(flags),
      dryRun: flags.dryRun ?? false,
      // Live progress on stderr, so a long reap shows where it is; the report goes to stdout.
      onProgress: (line) => process.stderr.write(`parity previews: ${line}\n`),
    });
    process.stdout.write(`${flags.json ? JSON.stringify(result, null, 2) : formatReapResult(result)}\n`);
    process.exitCode = result.exitCode;
  });
}
