// The one place parity runs the Pulumi CLI (discovery reads stack outputs, the preview reaper lists
// and destroys stacks). Callers turn its errors into their own (EnvironmentReadError, a failed reap).
import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

export interface PulumiCliOptions {
  /** Search path for the `pulumi` executable (default: process.env.PATH). */
  path?: string;
  /** Working directory: the Pulumi project (default: the current directory). */
  cwd?: string;
  signal?: AbortSignal;
  /** Default two minutes: reads. A destroy passes its own, much longer limit. */
  timeoutMs?: number;
}

/** No `pulumi` executable on the search path. */
export class PulumiNotFoundError extends Error {
  constructor() {
    super("the pulumi CLI is not on PATH");
    this.name = "PulumiNotFoundError";
  }
}

/** The CLI ran and failed; `detail` is the tail of its stderr (where Pulumi says why). */
export class PulumiCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly detail: string,
  ) {
    super(`pulumi ${args.join(" ")} failed: ${detail}`);
    this.name = "PulumiCommandError";
  }
}

/** Runs `pulumi ...args` and resolves with its stdout. */
export async function runPulumi(args: readonly string[], options: PulumiCliOptions = {}): Promise<string> {
  const searchPath = options.path ?? process.env.PATH ?? "";
  const executable = await findExecutable("pulumi", searchPath);
  if (!executable) throw new PulumiNotFoundError();
  return new Promise<string>((resolve, reject) => {
    execFile(
      executable,
      [...args],
      {
        ...(options.cwd ? { cwd: options.cwd } : {}),
        // Non-interactive: a CI job must never wait on a prompt or an update check.
        env: {
          ...process.env,
          PATH: childPath(searchPath),
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_NON_INTERACTIVE: "true",
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, out, err) => {
        if (error) {
          const detail = String(err).trim().split("\n").slice(-3).join(" ") || error.message;
          reject(new PulumiCommandError(args, detail));
        } else resolve(out);
      },
    );
  });
}

/** The CLI needs the usual tools (its language hosts, plugins) besides the directory it was found in. */
function childPath(searchPath: string): string {
  const inherited = process.env.PATH ?? "";
  return searchPath === inherited ? inherited : [searchPath, inherited].filter(Boolean).join(delimiter);
}

async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
