// The DatabaseSpec's schema and object patterns (`*` any run of characters, `?` one character).
import type { DatabaseSpec } from "../core/check.ts";

function globToRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

function matcher(patterns: readonly string[] | undefined): ((name: string) => boolean) | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  const expressions = patterns.map(globToRegExp);
  return (name) => expressions.some((expression) => expression.test(name));
}

/** Whether a table (`schema`, `schema.table`) is in scope for the spec. */
export function tableFilter(spec: DatabaseSpec): (schema: string, table: string) => boolean {
  const schemas = matcher(spec.schemas);
  const excludeSchemas = matcher(spec.excludeSchemas);
  const include = matcher(spec.includeObjects);
  const exclude = matcher(spec.excludeObjects);
  return (schema, table) => {
    const qualified = `${schema}.${table}`;
    if (schemas && !schemas(schema)) return false;
    if (excludeSchemas?.(schema)) return false;
    if (include && !include(qualified)) return false;
    return !exclude?.(qualified);
  };
}
