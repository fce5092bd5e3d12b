// The infrastructure half of a preview: when the target environment names a Pulumi stack, the
// stack's own `pulumi preview --save-plan`, run through the CLI (audit/core/pulumi-cli.ts) when it
// is on PATH. parity shows it and keeps the saved plan; it never runs `pulumi up` itself.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PulumiCommandError, PulumiNotFoundError, runPulumi } from "../core/pulumi-cli.ts";
import type { PulumiDiscoverySpec } from "../parity-config/types.ts";

export type PulumiPreview =
  | { status: "previewed"; stack: string; planFile: string; output: string }
  | { status: "skipped"; stack: string; reason: string }
  | { status: "failed"; stack: string; reason: string };

export interface PulumiPreviewOptions {
  /** Where the saved plan goes (default: a new temp dir). */
  planFile?: string;
  /** Search path for `pulumi` (tests put the fake first). */
  path?: string;
  configDir: string;
  signal?: AbortSignal;
}

export async function previewStack(
  spec: PulumiDiscoverySpec,
  options: PulumiPreviewOptions,
): Promise<PulumiPreview> {
  const planFile =
    options.planFile ?? join(await mkdtemp(join(tmpdir(), "parity-pulumi-plan-")), "plan.json");
  try {
    const output = await runPulumi(
      [
        "preview",
        "--stack",
        spec.stack,
        "--save-plan",
        planFile,
        "--diff",
        "--non-interactive",
        "--color",
        "never",
      ],
      {
        cwd: spec.dir ?? options.configDir,
        ...(options.path !== undefined ? { path: options.path } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        timeoutMs: 600_000,
      },
    );
    return { status: "previewed", stack: spec.stack, planFile, output };
  } catch (error) {
    if (error instanceof PulumiNotFoundError) {
      return { status: "skipped", stack: spec.stack, reason: "the pulumi CLI is not on PATH" };
    }
    if (error instanceof PulumiCommandError)
      return { status: "failed", stack: spec.stack, reason: error.detail };
    throw error;
  }
}
