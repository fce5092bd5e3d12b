// The typed commands behind `parity previews`: list the project's preview stacks with their
// verdicts, and reap the expired ones. They return results; printing is format.ts's job.

import { compareText } from "../../core/compare-text.ts";
import { type PulumiCliOptions, runPulumi } from "../../core/pulumi-cli.ts";
import {
  decidePreview,
  looksLikePreview,
  type PreviewDecision,
  type StackFacts,
} from "../../preview-stacks/decide.ts";
import { reapCommands } from "../../preview-stacks/expiry.ts";
import { listStacks, readPreviewOutputs, type StackListOptions } from "../../preview-stacks/pulumi-stacks.ts";

export interface PreviewsOptions extends StackListOptions {
  now?: Date;
  /** Called with a line as each step starts or ends (a reap can take many minutes per stack). */
  onProgress?: (line: string) => void;
}

export interface PreviewList {
  now: string;
  /** Every stack of the project, sorted by name, with what the reaper makes of it. */
  stacks: PreviewDecision[];
  /** 2 when a preview's outputs could not be read (its expiry is unknown), else 0. */
  exitCode: 0 | 2;
}

/** Stack outputs are read a few at a time: each read is a CLI start and a backend round trip. */
const READ_CONCURRENCY = 4;
/** Deleting an RDS instance or Aurora cluster takes minutes; give a destroy up to an hour. */
const DESTROY_TIMEOUT_MS = 60 * 60_000;

export async function listPreviews(options: PreviewsOptions = {}): Promise<PreviewList> {
  const now = options.now ?? new Date();
  const cli = cliOptions(options);
  const listed = await listStacks(options);
  const facts = await mapWithConcurrency(listed, READ_CONCURRENCY, async (stack): Promise<StackFacts> => {
    const base = { name: stack.name, updateInProgress: stack.updateInProgress };
    if (!looksLikePreview(stack.name)) return base; // production, staging and others are not even read
    try {
      return { ...base, outputs: await readPreviewOutputs(stack.name, cli) };
    } catch (error) {
      return { ...base, readError: (error as Error).message };
    }
  });
  const stacks = facts.map((fact) => decidePreview(fact, now));
  stacks.sort((a, b) => compareText(a.stack, b.stack));
  const unreadable = stacks.some((decision) => decision.state === "unreadable");
  return { now: now.toISOString(), stacks, exitCode: unreadable ? 2 : 0 };
}

export type ReapOutcome =
  | {
      decision: PreviewDecision & { state: "expired" };
      outcome: "destroyed" | "would-destroy";
      commands: string[][];
    }
  | {
      decision: PreviewDecision & { state: "expired" };
      outcome: "failed";
      commands: string[][];
      /** The command that failed and the tail of its stderr. */
      error: string;
    }
  | { decision: PreviewDecision; outcome: "kept" };

export interface ReapResult {
  now: string;
  dryRun: boolean;
  stacks: ReapOutcome[];
  /** 0, or 2 when a destroy, a stack rm or a stack's outputs failed (the others were still processed). */
  exitCode: 0 | 2;
}

export async function reapPreviews(
  options: PreviewsOptions & { dryRun?: boolean } = {},
): Promise<ReapResult> {
  const dryRun = options.dryRun ?? false;
  const progress = options.onProgress ?? (() => {});
  const cli = cliOptions(options);
  const list = await listPreviews(options);
  const stacks: ReapOutcome[] = [];
  // One at a time: a failed destroy is reported before the next one starts, and the backend and
  // AWS API limits are not hammered by a backlog of expired previews.
  for (const decision of list.stacks) {
    if (decision.state !== "expired") {
      stacks.push({ decision, outcome: "kept" });
      continue;
    }
    const commands = reapCommands(decision.stack);
    if (dryRun) {
      stacks.push({ decision, outcome: "would-destroy", commands });
      continue;
    }
    stacks.push(await reapOne(decision, commands, cli, progress));
  }
  const failed = stacks.some((entry) => entry.outcome === "failed" || entry.decision.state === "unreadable");
  return { now: list.now, dryRun, stacks, exitCode: failed ? 2 : 0 };
}

async function reapOne(
  decision: PreviewDecision & { state: "expired" },
  commands: string[][],
  cli: PulumiCliOptions,
  progress: (line: string) => void,
): Promise<ReapOutcome> {
  for (const command of commands) {
    progress(`${decision.stack}: ${command.join(" ")}`);
    try {
      // reapCommands gives whole command lines; the runner finds `pulumi` itself.
      await runPulumiLine(command, { ...cli, timeoutMs: DESTROY_TIMEOUT_MS });
    } catch (error) {
      progress(`${decision.stack}: failed`);
      return { decision, outcome: "failed", commands, error: (error as Error).message };
    }
  }
  progress(`${decision.stack}: destroyed and removed`);
  return { decision, outcome: "destroyed", commands };
}

async function runPulumiLine(command: string[], options: PulumiCliOptions): Promise<void> {
  const [program, ...args] = command;
  if (program !== "pulumi") throw new Error(`not a pulumi command: ${command.join(" ")}`);
  await runPulumi(args, options);
}

function cliOptions({ path, cwd, signal }: PulumiCliOptions): PulumiCliOptions {
  return {
    ...(path === undefined ? {} : { path }),
    ...(cwd === undefined ? {} : { cwd }),
    ...(signal === undefined ? {} : { signal }),
  };
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
