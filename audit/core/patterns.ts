// The one pattern language of parity: database include/exclude lists, ignore entries, `parity rules`.
// `*` matches any run of characters (dots and slashes included, so `public.orders_*` and
// `/shop/*/FEATURE_X` both work), `?` one character, everything else literally.
import { ParityInputError } from "./errors.ts";

export type Matcher = (name: string) => boolean;

export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (const char of pattern) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

const compiled = new Map<string, RegExp>();

/** Whether `value` matches `pattern`; patterns are compiled once per process. */
export function matchesPattern(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = globToRegExp(pattern);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

/** Any of `patterns` matches; `undefined` when no patterns were given. */
export function anyOf(patterns: readonly string[] | undefined, field: string): Matcher | undefined {
  if (patterns === undefined || patterns.length === 0) return undefined;
  const problems = patterns
    .map((pattern, index) => ({ pattern, index }))
    .filter(({ pattern }) => typeof pattern !== "string" || pattern.trim() === "")
    .map(({ index }) => `${field}[${index}]: a pattern must be a non-empty string`);
  if (problems.length > 0) throw new ParityInputError("Invalid database include/exclude patterns", problems);
  const expressions = patterns.map(globToRegExp);
  return (name) => expressions.some((expression) => expression.test(name));
}

export interface ObjectFilter {
  schema(name: string): boolean;
  /** `names`: the object's own qualified name and the relation it belongs to, if any. */
  object(names: readonly string[]): boolean;
}

export interface FilterOptions {
  schemas?: readonly string[];
  excludeSchemas?: readonly string[];
  includeObjects?: readonly string[];
  excludeObjects?: readonly string[];
}

export function makeFilter(options: FilterOptions): ObjectFilter {
  const includeSchema = anyOf(options.schemas, "schemas");
  const excludeSchema = anyOf(options.excludeSchemas, "excludeSchemas");
  const includeObject = anyOf(options.includeObjects, "includeObjects");
  const excludeObject = anyOf(options.excludeObjects, "excludeObjects");
  // Most audits give no patterns: then every check is a constant, not a scan over patterns.
  const schemaCache = new Map<string, boolean>();
  return {
    schema: (name) => {
      let kept = schemaCache.get(name);
      if (kept === undefined) {
        kept = (includeSchema ? includeSchema(name) : true) && !excludeSchema?.(name);
        schemaCache.set(name, kept);
      }
      return kept;
    },
    object:
      includeObject || excludeObject
        ? (names) =>
            (includeObject ? names.some(includeObject) : true) && !names.some((name) => excludeObject?.(name))
        : () => true,
  };
}
