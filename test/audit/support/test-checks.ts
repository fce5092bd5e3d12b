// Small, real checks for testing the runner's orchestration (concurrency, failure isolation,
// the ignore list) independently of the schema/config checks built on other branches.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { AuditCheck, ConfigKeysSpec, DatabaseSpec } from "../../../audit/core/check.ts";
import { EnvironmentReadError } from "../../../audit/core/errors.ts";
import { type Finding, makeFinding } from "../../../audit/core/finding.ts";
import { withClient } from "../../../audit/core/pg-client.ts";
import type { CheckRegistry } from "../../../audit/drift/runner/result.ts";

/** Keys of a dotenv file: missing in target → error, extra in target → warning. */
export const dotenvKeysCheck: AuditCheck<ConfigKeysSpec, Set<string>> = {
  id: "keys",
  async read(spec, context) {
    if (!("dotenv" in spec)) throw new Error("dotenvKeysCheck reads dotenv sources only");
    const file = resolve(context.configDir, spec.dotenv.file);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new EnvironmentReadError(context.environment, `dotenv ${file}`, (error as Error).message);
    }
    const keys = text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split("=")[0] ?? "");
    return new Set(keys);
  },
  compare(baseline, target, context) {
    const findings: Finding[] = [];
    for (const key of baseline) {
      if (!target.has(key)) {
        findings.push(
          makeFinding({
            ruleId: "test/key-missing",
            severity: "error",
            message: `${key} is missing in ${context.target}`,
            environment: context.target,
            objectType: "config-key",
            object: key,
          }),
        );
      }
    }
    for (const key of target) {
      if (!baseline.has(key)) {
        findings.push(
          makeFinding({
            ruleId: "test/key-extra",
            severity: "warning",
            message: `${key} exists only in ${context.target}`,
            environment: context.target,
            objectType: "config-key",
            object: key,
          }),
        );
      }
    }
    return findings;
  },
};

/** Table names from a real PostgreSQL database (information_schema), missing → error. */
export const tablesCheck: AuditCheck<DatabaseSpec, string[]> = {
  id: "tables",
  async read(spec) {
    return withClient(spec.url, async (client) => {
      const rows = await client.query<{ name: string }>(
        `select table_schema || '.' || table_name as name from information_schema.tables
         where table_schema not in ('pg_catalog', 'information_schema') order by 1`,
      );
      return rows.rows.map((row) => row.name);
    });
  },
  compare(baseline, target, context) {
    return baseline
      .filter((name) => !target.includes(name))
      .map((name) =>
        makeFinding({
          ruleId: "test/table-missing",
          severity: "error",
          message: `table ${name} is missing in ${context.target}`,
          environment: context.target,
          objectType: "table",
          object: name,
          expected: name,
        }),
      );
  },
};

export function registryOf(partial: Partial<CheckRegistry>): CheckRegistry {
  return { database: [], config: [], rds: [], ...partial };
}
