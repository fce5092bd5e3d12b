import { resolve } from "node:path";
import type { ReadContext } from "../../../../core/check.ts";
import { EnvironmentReadError } from "../../../../core/errors.ts";
import { readTextFile } from "../../../../core/read-text-file.ts";
import type { ConfigSnapshot } from "../types.ts";
import { parseDotenv } from "./dotenv-parser.ts";
import { toKeySet } from "./normalize.ts";

/** dotenv has no types: every key is a readable String (so its value takes part in the production check). */
export async function readDotenvKeys(spec: { file: string }, context: ReadContext): Promise<ConfigSnapshot> {
  const file = resolve(context.configDir, spec.file);
  const text = await readTextFile(
    file,
    (reason, cause) =>
      new EnvironmentReadError(context.environment, `dotenv file ${file}`, reason, { cause }),
  );
  const keys = parseDotenv(text, file).map((entry) => ({
    key: entry.key,
    name: entry.key,
    type: "String" as const,
    value: entry.value,
  }));
  return { environment: context.environment, source: "dotenv", location: file, keys: toKeySet(keys, file) };
}
