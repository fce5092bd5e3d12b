// Reading the project's stacks through the Pulumi CLI (discovery's runner): `pulumi stack ls --json`
// and, per preview, `pulumi stack output --json --show-secrets=false` (and `pulumi stack tag ls
// --json` when the outputs carry no expiry).
import { EnvironmentReadError } from "../core/errors.ts";
import { type PulumiCliOptions, PulumiNotFoundError, runPulumi } from "../core/pulumi-cli.ts";
import type { PreviewOutputs } from "./decide.ts";

export interface ListedStack {
  name: string;
  updateInProgress: boolean;
}

export interface StackListOptions extends PulumiCliOptions {
  /** `pulumi stack ls --organization`: the org whose stacks to list (default: the CLI's default org). */
  organization?: string;
}

const SOURCE = "the Pulumi stack list";

/** Every stack of the project in `cwd`. A failure here stops the reaper: it knows nothing. */
export async function listStacks(options: StackListOptions = {}): Promise<ListedStack[]> {
  const { organization, ...cli } = options;
  const args = ["stack", "ls", "--json", ...(organization ? ["--organization", organization] : [])];
  let stdout: string;
  try {
    stdout = await runPulumi(args, cli);
  } catch (error) {
    const hint = error instanceof PulumiNotFoundError ? " (install it, e.g. with pulumi/actions)" : "";
    throw new EnvironmentReadError("previews", SOURCE, `${(error as Error).message}${hint}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new EnvironmentReadError("previews", SOURCE, "pulumi stack ls did not print JSON", {
      cause: error,
    });
  }
  if (!Array.isArray(parsed)) throw new EnvironmentReadError("previews", SOURCE, "expected a JSON array");
  return parsed.map((entry, index) => {
    const record = (entry ?? {}) as Record<string, unknown>;
    if (typeof record.name !== "string" || record.name === "") {
      throw new EnvironmentReadError("previews", SOURCE, `entry ${index} has no stack name`);
    }
    return { name: record.name, updateInProgress: record.updateInProgress === true };
  });
}

/** The outputs the reaper decides on. Secret outputs are never requested. */
export async function readPreviewOutputs(
  stack: string,
  options: PulumiCliOptions = {},
): Promise<PreviewOutputs> {
  const stdout = await runPulumi(
    ["stack", "output", "--json", "--stack", stack, "--show-secrets=false"],
    options,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error("pulumi stack output did not print JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("stack outputs are not a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const outputs: PreviewOutputs = {};
  for (const name of ["expiresAt", "tier", "branch"] as const) {
    const value = record[name];
    // `[secret]` is what the CLI prints for a secret output without --show-secrets.
    if (typeof value === "string" && value !== "" && value !== "[secret]") outputs[name] = value;
  }
  // A preview whose first `up` failed has no outputs; preview.yml set its expiry as a stack tag
  // before that `up`, so the reaper can still tell when it may go.
  if (outputs.expiresAt === undefined) {
    const tagged = await readExpiryTag(stack, options);
    if (tagged !== undefined) outputs.expiresAt = tagged;
  }
  return outputs;
}

/** The stack tag `parity:expires-at`, or undefined when it is not set or the tags cannot be read. */
async function readExpiryTag(stack: string, options: PulumiCliOptions): Promise<string | undefined> {
  try {
    const tags = JSON.parse(await runPulumi(["stack", "tag", "ls", "--json", "--stack", stack], options));
    const value = (tags as Record<string, unknown> | null)?.["parity:expires-at"];
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    // Without the tag the stack is "NEEDS A LOOK", as before: a person decides.
    return undefined;
  }
}
