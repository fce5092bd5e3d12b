// Read → parse YAML → expand ${VAR} → validate (zod) → cross-field rules → normalize.
// Every problem from every stage is collected before one ParityInputError (exit code 2).
import { dirname, isAbsolute, resolve } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import type { ConfigKeysSpec, DatabaseSpec } from "../core/check.ts";
import { ParityInputError } from "../core/errors.ts";
import { readTextFile } from "../core/read-text-file.ts";
import { crossFieldProblems } from "./cross-field.ts";
import { expandVariables, formatPath } from "./expand.ts";
import { auditConfigSchema, type RawAuditConfig } from "./schema.ts";
import type { EnvironmentSpec, ParityConfig } from "./types.ts";

export interface LoadOptions {
  /** Variables for `${VAR}` (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export async function loadParityConfig(file: string, options: LoadOptions = {}): Promise<ParityConfig> {
  const path = resolve(file);
  const text = await readTextFile(
    path,
    (reason) => new ParityInputError(`cannot read the audit config ${path}: ${reason}`),
  );
  return parseAuditConfig(text, { ...options, file: path });
}

export function parseAuditConfig(text: string, options: LoadOptions & { file: string }): ParityConfig {
  const file = resolve(options.file);
  const fail = (problems: string[]): never => {
    throw new ParityInputError(`invalid audit config ${file}`, problems);
  };

  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    fail(document.errors.map((error) => `YAML: ${error.message.split("\n")[0]}`));
  }
  const tree: unknown = document.toJS();
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) {
    fail(["(top level): expected a mapping with baseline, environments and optionally ignore"]);
  }

  const expanded = expandVariables(tree, options.env ?? process.env);
  const parsed = auditConfigSchema.safeParse(expanded.value);
  const problems = [
    ...expanded.problems,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => formatIssue(issue, expanded.value))),
    ...crossFieldProblems(expanded.value),
  ];
  if (problems.length > 0 || !parsed.success) fail(unique(problems));
  return normalize((parsed as { data: RawAuditConfig }).data, file);
}

function formatIssue(issue: z.core.$ZodIssue, tree: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  if (issue.code === "invalid_type" && valueAt(tree, issue.path) === undefined) return `${path}: is required`;
  if (issue.code === "invalid_key") return `${path}: ${issue.issues[0]?.message ?? issue.message}`;
  return `${path}: ${issue.message}`;
}

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function normalize(raw: RawAuditConfig, file: string): ParityConfig {
  const dir = dirname(file);
  const fromConfigDir = (path: string) => (isAbsolute(path) ? path : resolve(dir, path));
  const defaults = raw.defaults?.database ?? {};

  const environments: Record<string, EnvironmentSpec> = {};
  for (const [name, env] of Object.entries(raw.environments)) {
    const spec: EnvironmentSpec = {};
    if (env.database) {
      const database: DatabaseSpec = { ...defaults, ...env.database };
      if (database.maskingRules) database.maskingRules = fromConfigDir(database.maskingRules);
      spec.database = database;
    }
    if (env.config) {
      const { ssm, pulumi, dotenv } = env.config;
      let config: ConfigKeysSpec | undefined;
      if (ssm) config = { ssm };
      else if (pulumi) config = { pulumi: { file: fromConfigDir(pulumi.file) } };
      else if (dotenv) config = { dotenv: { file: fromConfigDir(dotenv.file) } };
      if (config) spec.config = config;
    }
    if (env.rds) spec.rds = env.rds;
    if (env.pulumi) {
      spec.pulumi = { stack: env.pulumi.stack, dir: fromConfigDir(env.pulumi.dir ?? ".") };
      if (env.pulumi.outputsFile) spec.pulumi.outputsFile = fromConfigDir(env.pulumi.outputsFile);
    }
    environments[name] = spec;
  }

  return {
    file,
    dir,
    ...(raw.lint
      ? {
          lint: { ...raw.lint, ignore: (raw.lint.ignore ?? []).map((entry, index) => ({ index, ...entry })) },
        }
      : {}),
    baseline: raw.baseline,
    environments,
    ignore: (raw.ignore ?? []).map((entry, index) => ({ index, ...entry })),
  };
}
