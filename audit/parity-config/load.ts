// Read → parse YAML → expand ${VAR} → validate (zod) → cross-field rules → normalize.
// Every problem from every stage is collected before one ParityInputError (exit code 2).
import { dirname, isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import type { ConfigKeysSpec, DatabaseSpec } from "../core/check.ts";
import { ParityInputError } from "../core/errors.ts";
import { matchesPattern } from "../core/patterns.ts";
import { DEFAULT_CONNECTION_SETTINGS } from "../core/pg-client.ts";
import { readTextFile } from "../core/read-text-file.ts";
import { parseYamlSafely } from "../core/yaml.ts";
import { normalizePromotion } from "../promote/record/settings.ts";
import { crossFieldProblems } from "./cross-field.ts";
import { expandVariables, formatPath } from "./expand.ts";
import { closestName, unknownRulePatterns } from "./rule-levels.ts";
import { auditConfigSchema, configKeyNames, type RawAuditConfig } from "./schema.ts";
import type { EnvironmentSpec, ParityConfig, RuleSetting } from "./types.ts";

export interface LoadOptions {
  /** Variables for `${VAR}` (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Every rule id the audit can report: `rules:` and `ignore[].rule` patterns matching none of them
   * are typos, reported with the other problems. Not checked when absent.
   */
  ruleIds?: readonly string[];
}

/** A real config is a few KB; past this it is not a config (and parsing it would take minutes). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export async function loadParityConfig(file: string, options: LoadOptions = {}): Promise<ParityConfig> {
  const path = resolve(file);
  const text = await readTextFile(
    path,
    (reason) => new ParityInputError(`cannot read the audit config ${path}: ${reason}`),
    { maxBytes: MAX_CONFIG_BYTES },
  );
  return parseAuditConfig(text, { ...options, file: path });
}

export function parseAuditConfig(text: string, options: LoadOptions & { file: string }): ParityConfig {
  const file = resolve(options.file);
  const fail = (problems: string[]): never => {
    throw new ParityInputError(`invalid audit config ${file}`, problems);
  };

  const yaml = parseYamlSafely(text, file);
  if (yaml.problems.length > 0) fail(yaml.problems);
  const tree: unknown = yaml.value;
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) {
    fail(["(top level): expected a mapping with baseline, environments and optionally ignore"]);
  }

  const expanded = expandVariables(tree, options.env ?? process.env);
  const parsed = auditConfigSchema.safeParse(expanded.value);
  const problems = [
    ...expanded.problems,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => formatIssue(issue, expanded.value))),
    ...crossFieldProblems(expanded.value),
    ...(options.ruleIds ? rulePatternProblems(expanded.value, options.ruleIds) : []),
  ];
  if (problems.length > 0 || !parsed.success) fail(unique(problems));
  return normalize((parsed as { data: RawAuditConfig }).data, file);
}

function formatIssue(issue: z.core.$ZodIssue, tree: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const named = issue.keys.map((key) => {
      const hint = closestName(key, configKeyNames());
      return `"${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`;
    });
    return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${named.join(", ")}`;
  }
  if (issue.code === "invalid_type" && valueAt(tree, issue.path) === undefined) return `${path}: is required`;
  if (issue.code === "invalid_key") return `${path}: ${issue.issues[0]?.message ?? issue.message}`;
  return `${path}: ${issue.message}`;
}

/** `rules:` keys and `ignore[].rule` patterns that name no rule, read from the raw tree (see cross-field.ts). */
function rulePatternProblems(tree: unknown, ruleIds: readonly string[]): string[] {
  const raw = tree as { rules?: unknown; ignore?: unknown };
  const problems: string[] = [];
  if (raw.rules && typeof raw.rules === "object" && !Array.isArray(raw.rules)) {
    const settings = Object.keys(raw.rules).map((pattern) => ({ pattern, level: "off" as const }));
    problems.push(...unknownRulePatterns(settings, ruleIds));
  }
  if (Array.isArray(raw.ignore)) {
    raw.ignore.forEach((entry: unknown, index) => {
      const rule = (entry as { rule?: unknown } | null)?.rule;
      if (typeof rule !== "string" || ruleIds.some((id) => matchesPattern(rule, id))) return;
      const hint = closestName(rule, ruleIds);
      problems.push(
        `ignore[${index}].rule: "${rule}" matches no rule${hint ? ` (did you mean "${hint}"?)` : ""}; rule ids are domain/name, e.g. schema/missing; run \`parity rules\` for the list`,
      );
    });
  }
  return problems;
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
      // The defaults' role map and the environment's are merged, the environment's entries winning.
      const roles = { ...defaults.roles?.map, ...env.database.roles?.map };
      if (Object.keys(roles).length > 0) database.roles = { map: roles };
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
    rules: Object.entries(raw.rules ?? {}).map(([pattern, level]): RuleSetting => ({ pattern, level })),
    connections: {
      connectTimeoutMs:
        (raw.connections?.connectTimeout ?? DEFAULT_CONNECTION_SETTINGS.connectTimeoutMs / 1000) * 1000,
      lockTimeoutMs:
        (raw.connections?.lockTimeout ?? DEFAULT_CONNECTION_SETTINGS.lockTimeoutMs / 1000) * 1000,
      maxConnections: raw.connections?.max ?? DEFAULT_CONNECTION_SETTINGS.maxConnections,
    },
    ...(raw.promotion ? { promotion: normalizePromotion(raw.promotion, dir) } : {}),
  };
}
