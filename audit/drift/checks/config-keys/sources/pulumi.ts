import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import type { ReadContext } from "../../../../core/check.ts";
import { EnvironmentReadError } from "../../../../core/errors.ts";
import { readTextFile } from "../../../../core/read-text-file.ts";
import type { ConfigSnapshot } from "../types.ts";
import { toKeySet } from "./normalize.ts";
import { parsePulumiStackConfig } from "./pulumi-parser.ts";

export async function readPulumiKeys(spec: { file: string }, context: ReadContext): Promise<ConfigSnapshot> {
  const file = resolve(context.configDir, spec.file);
  const text = await readTextFile(
    file,
    (reason, cause) =>
      new EnvironmentReadError(context.environment, `Pulumi stack config ${file}`, reason, { cause }),
  );
  const project = await findProjectName(dirname(file));
  const keys = parsePulumiStackConfig(text, file, project !== undefined ? { project } : {});
  return { environment: context.environment, source: "pulumi", location: file, keys: toKeySet(keys, file) };
}

/**
 * The project's namespace is stripped from keys. Pulumi.yaml sits beside the stack files or, with
 * `stackConfigDir: stacks`, one directory up.
 */
async function findProjectName(stackDir: string): Promise<string | undefined> {
  for (const dir of [stackDir, dirname(stackDir)]) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
      try {
        const project = parse(await readFile(join(dir, name), "utf8")) as { name?: unknown } | null;
        if (typeof project?.name === "string") return project.name;
      } catch {
        // not here (or unreadable): keep looking; without a project every namespace stays in the key
      }
    }
  }
  return undefined;
}
