// `parity init`'s pure core: the commented parity.config.yaml for a directory (with or without
// Pulumi stacks), and a masking rules skeleton from a database's columns. Text in, text out.
import { stringify } from "yaml";
import type { CatalogColumn } from "../masking/catalog.ts";
import { type PiiKind, piiKind } from "../masking/pii.ts";

/** `Pulumi.production.yaml` → `production`; the stacks a Pulumi project in the directory has. */
export function stacksFrom(fileNames: readonly string[]): string[] {
  return fileNames
    .map((name) => /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/.exec(name)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

const BASELINE_NAMES = ["production", "prod", "live", "main"];

/** `staging` → `STAGING_DATABASE_URL`. */
export function urlVariable(environment: string): string {
  return `${environment.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_DATABASE_URL`;
}

export interface ConfigTemplateOptions {
  /** Pulumi stacks found in the directory (may be empty). */
  stacks: readonly string[];
  /** A masking rules file written next to the config, referenced from non-baseline databases. */
  maskingRules?: string;
}

export function configTemplate(options: ConfigTemplateOptions): string {
  const fromPulumi = options.stacks.length >= 2;
  const environments = fromPulumi ? [...options.stacks] : ["production", "staging"];
  const baseline = environments.find((name) => BASELINE_NAMES.includes(name)) ?? (environments[0] as string);
  const ordered = [baseline, ...environments.filter((name) => name !== baseline)];

  const lines = [
    "# parity drift audit config (reference: docs/audit.md; check it with `parity validate`).",
    "# yaml-language-server: $schema=./parity.config.schema.json",
    "# Every environment is compared with the baseline; `parity audit` exits 1 on drift at error",
    "# severity, 2 when the config is wrong or an environment cannot be read.",
    `baseline: ${baseline}`,
    "",
    "environments:",
  ];
  for (const name of ordered) {
    lines.push(`  ${name}:`);
    if (fromPulumi) {
      lines.push(
        "    # RDS instance/cluster and SSM config path come from the stack's outputs (pulumi stack output).",
        `    pulumi: { stack: ${name} }`,
      );
    }
    lines.push(
      "    database:",
      `      # A read-only login; keep the password out of this file: \${VAR} reads the environment.`,
      `      url: "\${${urlVariable(name)}}"`,
    );
    if (options.maskingRules && name !== baseline) lines.push(`      maskingRules: ${options.maskingRules}`);
    if (!fromPulumi) {
      lines.push(
        "    # Config keys to compare: one of ssm: { path: /app/<env>/ }, dotenv: { file } or pulumi: { file }.",
        `    # config: { ssm: { path: /app/${name}/, region: eu-west-1 } }`,
        "    # rds: { instance: <db-instance-id> }   # or cluster: <aurora-cluster-id>",
      );
    }
  }
  lines.push(
    "",
    "# Rule levels, ESLint-style: error | warning | info | off; ids and globs (`parity rules` lists them).",
    "# The most specific entry wins.",
    "# rules:",
    '#   "engine/extension-version": error',
    '#   "data/volume": "off"',
    "",
    "# Connections: seconds to connect and to wait for a lock, and open connections at most.",
    "# connections: { connectTimeout: 10, lockTimeout: 10, max: 8 }",
    "",
    "# Intentional differences, each with a reason; `until` makes one temporary.",
    "# ignore:",
    "#   - { rule: rds/instance-class, object: instance-class, environment: staging, reason: smaller on purpose }",
    "",
  );
  return lines.join("\n");
}

/**
 * A masking rules skeleton: every table with the columns that look like personal data or secrets
 * and the transform to start from. Every other column is listed in a comment, so a reviewer sees
 * what is kept as it is. Review it before the first mask: names are only a guess.
 */
export function maskingSkeleton(columns: readonly CatalogColumn[]): string {
  const byTable = new Map<string, CatalogColumn[]>();
  for (const column of columns) {
    const key = `${column.schema}.${column.table}`;
    byTable.set(key, [...(byTable.get(key) ?? []), column]);
  }
  const lines = [
    "# Masking rules skeleton written by `parity init` from the database's columns (docs/masking.md).",
    "# Columns below look like personal data or secrets by name and type; review every one.",
    "version: 1",
    byTable.size === 0 ? "tables: {}" : "tables:",
  ];
  for (const [table, tableColumns] of [...byTable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ruled: Record<string, string | null> = {};
    const kept: string[] = [];
    for (const column of tableColumns) {
      const kind = piiKind(column);
      if (kind === undefined) kept.push(column.column);
      else ruled[column.column] = ruleFor(kind);
    }
    if (Object.keys(ruled).length === 0) {
      lines.push(`  # ${table}: nothing looks personal (${kept.join(", ")})`);
      continue;
    }
    const body = stringify({ [table]: ruled }, { nullStr: "null" }).trimEnd();
    lines.push(...body.split("\n").map((line) => `  ${line}`));
    if (kept.length > 0) lines.push(`    # kept as is: ${kept.join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function ruleFor(kind: PiiKind): string | null {
  switch (kind) {
    case "email":
    case "phone":
    case "name":
    case "address":
      return kind;
    default:
      // Secrets, addresses on the network, birth dates, ids and the rest: a person picks the
      // transformer (or `{ safe: … }`); the skeleton names the kind in a comment.
      return null;
  }
}
