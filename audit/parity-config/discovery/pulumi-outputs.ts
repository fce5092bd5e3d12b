// Discovery from Pulumi stacks: an environment declared as `pulumi: { stack }` takes its RDS
// identifier, SSM path and region from the stack's outputs (exported by components/), read
// with `pulumi stack output --json` or from a file exported by that command.

import type { ConfigKeysSpec, RdsSpec } from "../../core/check.ts";
import { EnvironmentReadError } from "../../core/errors.ts";
import { PulumiCommandError, PulumiNotFoundError, runPulumi } from "../../core/pulumi-cli.ts";
import { readTextFile } from "../../core/read-text-file.ts";
import type { PulumiDiscoverySpec } from "../types.ts";

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
  config?: ConfigKeysSpec;
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
export function sourcesFrom(outputs: StackOutputs): { rds?: RdsSpec; config?: ConfigKeysSpec } {
  const sources: { rds?: RdsSpec; config?: ConfigKeysSpec } = {};
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
  const text = await readTextFile(
    file,
    (reason, cause) =>
      new EnvironmentReadError(environment, `Pulumi outputs file ${file}`, reason, { cause }),
  );
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
  const source = `Pulumi stack ${spec.stack}`;
  const args = ["stack", "output", "--json", "--stack", spec.stack, "--show-secrets=false"];
  let stdout: string;
  try {
    stdout = await runPulumi(args, {
      ...(spec.dir ? { cwd: spec.dir } : {}),
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof PulumiNotFoundError) {
      throw new EnvironmentReadError(
        environment,
        source,
        `the pulumi CLI is not on PATH; install it, or export the outputs with ` +
          `\`pulumi stack output --json --stack ${spec.stack} > outputs.json\` and set pulumi.outputsFile`,
      );
    }
    if (error instanceof PulumiCommandError)
      throw new EnvironmentReadError(environment, source, error.message);
    throw error;
  }
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new EnvironmentReadError(environment, source, "pulumi stack output did not print JSON", {
      cause: error,
    });
  }
}
