// Discovery from Pulumi stacks: an environment declared as `pulumi: { stack }` takes its RDS
// identifier, SSM path and region from the stack's outputs (exported by components/), read
// with `pulumi stack output --json` or from a file exported by that command.
import { execFile } from "node:child_process";
import { access, constants, readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { PulumiDiscoverySpec } from "../audit-config/types.ts";
import type { ConfigSpec, RdsSpec } from "../core/check.ts";
import { EnvironmentReadError } from "../core/errors.ts";

/** The outputs the audit reads; names are the contract with components/ (see the brief). */
export interface StackOutputs {
  ssmPath?: string;
  databaseIdentifier?: string;
  databaseKind?: "instance" | "cluster";
  databaseEndpoint?: string;
  databaseEngineVersion?: string;
  parameterGroupName?: string;
  awsRegion?: string;
}

export interface DiscoveredSources {
  outputs: StackOutputs;
  rds?: RdsSpec;
  config?: ConfigSpec;
}

export interface DiscoveryOptions {
  /** Search path for the `pulumi` executable (default: process.env.PATH). */
  path?: string;
  signal?: AbortSignal;
}

export async function discoverFromPulumi(
  environment: string,
  spec: PulumiDiscoverySpec,
  options: DiscoveryOptions = {},
): Promise<DiscoveredSources> {
  const raw = spec.outputsFile
    ? await readOutputsFile(environment, spec.outputsFile)
    : await runPulumiCli(environment, spec, options);
  const outputs = pickOutputs(environment, spec.stack, raw);
  return { outputs, ...sourcesFrom(outputs) };
}

/** Pure: which audit sources the outputs describe. */
export function sourcesFrom(outputs: StackOutputs): { rds?: RdsSpec; config?: ConfigSpec } {
  const sources: { rds?: RdsSpec; config?: ConfigSpec } = {};
  const region = outputs.awsRegion ? { region: outputs.awsRegion } : {};
  if (outputs.databaseIdentifier) {
    sources.rds =
      outputs.databaseKind === "cluster"
        ? { cluster: outputs.databaseIdentifier, ...region }
        : { instance: outputs.databaseIdentifier, ...region };
  }
  if (outputs.ssmPath) sources.config = { ssm: { path: outputs.ssmPath, ...region } };
  return sources;
}

/** `${pulumi.databaseEndpoint}` in a database URL: filled from the stack's outputs. */
const OUTPUT_REFERENCE = /\$\{pulumi\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function usesStackOutputs(text: string): boolean {
  return new RegExp(OUTPUT_REFERENCE.source).test(text);
}

/** Pure: replaces every `${pulumi.NAME}` with the stack's output NAME (a missing one is an error). */
export function substituteStackOutputs(
  text: string,
  outputs: StackOutputs,
  environment: string,
  stack: string,
): string {
  return text.replace(OUTPUT_REFERENCE, (_match, name: string) => {
    const value = (outputs as Record<string, unknown>)[name];
    if (typeof value !== "string" || value === "") {
      throw new EnvironmentReadError(
        environment,
        `Pulumi stack ${stack}`,
        `database.url uses \${pulumi.${name}}, but the stack has no such output (or it is secret)`,
      );
    }
    return value;
  });
}

const STRING_OUTPUTS = [
  "ssmPath",
  "databaseIdentifier",
  "databaseEndpoint",
  "databaseEngineVersion",
  "parameterGroupName",
  "awsRegion",
] as const;

function pickOutputs(environment: string, stack: string, raw: unknown): StackOutputs {
  const fail = (message: string): never => {
    throw new EnvironmentReadError(environment, `Pulumi stack ${stack}`, message);
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return fail("stack outputs are not a JSON object");
  }
  const record = raw as Record<string, unknown>;
  const outputs: StackOutputs = {};
  for (const name of STRING_OUTPUTS) {
    const value = record[name];
    // `[secret]` is what the CLI prints for a secret output without --show-secrets.
    if (typeof value === "string" && value !== "" && value !== "[secret]") outputs[name] = value;
  }
  const kind = record.databaseKind;
  if (kind !== undefined) {
    if (kind !== "instance" && kind !== "cluster") {
      fail(`output databaseKind must be "instance" or "cluster", got ${JSON.stringify(kind)}`);
    }
    outputs.databaseKind = kind as "instance" | "cluster";
  }
  if (!outputs.ssmPath && !outputs.databaseIdentifier) {
    fail("stack has neither a ssmPath nor a databaseIdentifier output: nothing to audit");
  }
  return outputs;
}

async function readOutputsFile(environment: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new EnvironmentReadError(environment, `Pulumi outputs file ${file}`, String(error), {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EnvironmentReadError(environment, `Pulumi outputs file ${file}`, "not valid JSON", {
      cause: error,
    });
  }
}

async function runPulumiCli(
  environment: string,
  spec: PulumiDiscoverySpec,
  options: DiscoveryOptions,
): Promise<unknown> {
  const searchPath = options.path ?? process.env.PATH ?? "";
  const source = `Pulumi stack ${spec.stack}`;
  const executable = await findExecutable("pulumi", searchPath);
  if (!executable) {
    throw new EnvironmentReadError(
      environment,
      source,
      `the pulumi CLI is not on PATH; install it, or export the outputs with ` +
        `\`pulumi stack output --json --stack ${spec.stack} > outputs.json\` and set pulumi.outputsFile`,
    );
  }
  const args = ["stack", "output", "--json", "--stack", spec.stack, "--show-secrets=false"];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      executable,
      args,
      {
        cwd: spec.dir,
        env: { ...process.env, PATH: childPath(searchPath), PULUMI_SKIP_UPDATE_CHECK: "true" },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, out, err) => {
        if (error) {
          const detail = String(err).trim().split("\n").slice(-3).join(" ") || error.message;
          reject(new EnvironmentReadError(environment, source, `pulumi ${args.join(" ")} failed: ${detail}`));
        } else resolve(out);
      },
    );
  });
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new EnvironmentReadError(environment, source, "pulumi stack output did not print JSON", {
      cause: error,
    });
  }
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
