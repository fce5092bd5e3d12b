// YAML as parity reads every file a user hands it. Three things the yaml package leaves to callers:
// - its error messages quote the offending text (a token, a whole `postgres://user:pw@…` line), and
//   errors end up in CI logs, reporter files and PR comments: here they are rebuilt from the error's
//   code and position only;
// - aliases expand without a bound on the result (a "billion laughs" file): capped, as bad input;
// - a key `__proto__` is assigned, not defined, and silently vanishes; `constructor`/`prototype` are
//   no better as names: refused with their position.
import { isPair, isScalar, LineCounter, parseDocument, visit, type YAMLError } from "yaml";

export const MAX_YAML_ALIASES = 100;
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const DESCRIPTIONS: Partial<Record<YAMLError["code"], string>> = {
  BAD_INDENT: "bad indentation",
  BAD_SCALAR_START: "a plain value cannot start with this character (quote it)",
  BLOCK_AS_IMPLICIT_KEY: "a block cannot be a key",
  DUPLICATE_KEY: "duplicate key (keys must be unique in a mapping)",
  MISSING_CHAR: "a closing character is missing (quote or bracket)",
  MULTILINE_IMPLICIT_KEY: "a key cannot span lines (a missing ':' or quote above?)",
  MULTIPLE_DOCS: "more than one YAML document (remove the '---' separator)",
  TAB_AS_INDENT: "tab used for indentation (use spaces)",
  UNEXPECTED_TOKEN: "unexpected text (a missing ':' or an unquoted value?)",
  BAD_ALIAS: "an alias names no anchor",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
  BAD_DQ_ESCAPE: "an invalid escape in a double-quoted value",
  RESOURCE_EXHAUSTION: `too many aliases (more than ${MAX_YAML_ALIASES} expansions)`,
};

export interface YamlParse {
  value: unknown;
  /** `file:line:column: what is wrong`, never the text at that place. */
  problems: string[];
}

export function parseYamlSafely(text: string, file: string): YamlParse {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const problems = document.errors.map(
    (error) => `${at(error.pos[0])}: YAML: ${DESCRIPTIONS[error.code] ?? `syntax error (${error.code})`}`,
  );
  if (problems.length > 0) return { value: undefined, problems };

  visit(document, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const key = pair.key.value;
      if (typeof key === "string" && RESERVED_KEYS.has(key)) {
        problems.push(`${at(pair.key.range?.[0] ?? 0)}: "${key}" cannot be used as a name`);
      }
    },
  });
  if (problems.length > 0) return { value: undefined, problems };
  try {
    return { value: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }), problems };
  } catch (error) {
    // toJS throws only on alias exhaustion (the document parsed): say so without quoting anything.
    const excessive = error instanceof Error && /alias/i.test(error.message);
    return {
      value: undefined,
      problems: [
        `${file}: YAML: ${excessive ? (DESCRIPTIONS.RESOURCE_EXHAUSTION as string) : "could not be converted to data"}`,
      ],
    };
  }
}
