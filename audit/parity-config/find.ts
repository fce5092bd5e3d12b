// Where `parity.config.yaml` is when no --config is given: the current directory, then each parent
// up to the filesystem root, as git, ESLint and npm look for theirs. A CI step run from a
// sub-directory of the repository finds the repository's config.
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

export const CONFIG_FILE_NAME = "parity.config.yaml";

/** The nearest config file at or above `cwd`; `cwd/parity.config.yaml` when there is none (its error says so). */
export async function findConfigFile(cwd: string): Promise<string> {
  for (let directory = resolve(cwd); ; directory = dirname(directory)) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    const found = await stat(candidate).then(
      (info) => info.isFile(),
      () => false,
    );
    if (found) return candidate;
    if (dirname(directory) === directory) return join(resolve(cwd), CONFIG_FILE_NAME);
  }
}
