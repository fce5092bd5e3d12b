// `parity init`: write a commented parity.config.yaml into a directory (never over an existing
// one), the config's JSON Schema beside it for editors, and, given a database, a masking rules
// skeleton from its columns. Pulumi stacks in the directory become the environments.
import { readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import { configTemplate, maskingSkeleton, stacksFrom } from "../../init/template.ts";
import { readMaskingCatalog } from "../../masking/catalog.ts";
import { onConnection } from "../../masking/connect.ts";
import { CONFIG_FILE_NAME } from "../../parity-config/find.ts";
import { configJsonSchema } from "../../parity-config/json-schema.ts";

export interface InitOptions {
  dir?: string;
  /** Read this database's columns for the masking rules skeleton. */
  databaseUrl?: string;
}

export interface InitResult {
  written: string[];
  stacks: string[];
}

export const MASKING_FILE_NAME = "masking.yaml";
export const SCHEMA_FILE_NAME = "parity.config.schema.json";

export async function initCommand(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir ?? process.cwd());
  const entries = await readdir(dir).catch((error: Error) => {
    throw new ParityInputError(`parity init: cannot read ${dir}: ${error.message}`);
  });
  const existing = [CONFIG_FILE_NAME, ...(options.databaseUrl ? [MASKING_FILE_NAME] : [])].filter((name) =>
    entries.includes(name),
  );
  if (existing.length > 0) {
    throw new ParityInputError(
      `parity init: ${existing.map((name) => join(dir, name)).join(" and ")} already exist${existing.length === 1 ? "s" : ""}; nothing written`,
    );
  }
  // Read the database first: an unreachable one leaves nothing half written.
  const skeleton = options.databaseUrl
    ? maskingSkeleton([...(await onConnection(options.databaseUrl, readMaskingCatalog)).columns.values()])
    : undefined;
  const stacks = stacksFrom(entries);
  const files: Array<[string, string]> = [
    [CONFIG_FILE_NAME, configTemplate({ stacks, ...(skeleton ? { maskingRules: MASKING_FILE_NAME } : {}) })],
    [SCHEMA_FILE_NAME, `${JSON.stringify(configJsonSchema(), null, 2)}\n`],
    ...(skeleton ? [[MASKING_FILE_NAME, skeleton] as [string, string]] : []),
  ];
  for (const [name, content] of files) await writeFile(join(dir, name), content, { flag: "w" });
  return { written: files.map(([name]) => join(dir, name)), stacks };
}
