// `${VAR}` expansion over the parsed YAML tree, before validation, so secrets such as database
// passwords stay out of the config file. Every unset variable is collected with the key path
// that used it, so the user fixes them all in one go.

/** `${NAME}`, `${NAME:-fallback}`; `$${` is a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface ExpansionResult {
  value: unknown;
  problems: string[];
}

export function expandVariables(
  tree: unknown,
  environment: Readonly<Record<string, string | undefined>>,
): ExpansionResult {
  const problems: string[] = [];
  const value = walk(tree, [], environment, problems);
  return { value, problems };
}

function walk(
  node: unknown,
  path: (string | number)[],
  environment: Readonly<Record<string, string | undefined>>,
  problems: string[],
): unknown {
  if (typeof node === "string") return expandString(node, path, environment, problems);
  if (Array.isArray(node))
    return node.map((item, index) => walk(item, [...path, index], environment, problems));
  if (node !== null && typeof node === "object" && !(node instanceof Date)) {
    return Object.fromEntries(
      Object.entries(node).map(([key, child]) => [key, walk(child, [...path, key], environment, problems)]),
    );
  }
  return node;
}

function expandString(
  text: string,
  path: (string | number)[],
  environment: Readonly<Record<string, string | undefined>>,
  problems: string[],
): string {
  return text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return "${"; // the `$${` escape
    const value = environment[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    problems.push(`${formatPath(path)}: environment variable ${name} is not set (used as ${match})`);
    return match;
  });
}

/** `environments.staging.database.url`, `ignore[2].rule`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(top level)" : out;
}
