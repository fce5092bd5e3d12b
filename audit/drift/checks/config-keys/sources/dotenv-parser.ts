// A small, strict dotenv parser. Accepts what the common dotenv implementations accept — comments,
// blank lines, an optional `export ` prefix, unquoted values with trailing ` # comments`, single-,
// double- and backtick-quoted values that may span lines, and escapes (\n \r \t \" \\) inside double
// quotes — and rejects anything else with `file:line:column: problem` (1-based, in characters, as
// editors count), collecting every problem at once.
// Variables (`${OTHER}`) are not expanded: the audit compares what is written, not what it expands to.
import { ParityInputError } from "../../../../core/errors.ts";

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line of the key. */
  line: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  '"': '"',
  "\\": "\\",
  $: "$",
};

/** Later assignments of the same key win, as in every dotenv loader. */
export function parseDotenv(text: string, file: string): DotenvEntry[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const entries = new Map<string, DotenvEntry>();
  const problems: string[] = [];
  let index = 0;

  while (index < lines.length) {
    const lineNumber = index + 1;
    const raw = lines[index] as string;
    index += 1;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;

    // Columns are offsets into `raw`: where the line's text, the key and the value start.
    const lineStart = raw.length - raw.trimStart().length;
    const body = line.startsWith("export ") ? line.slice("export ".length).trimStart() : line;
    const bodyStart = lineStart + (line.length - body.length);
    const at = (offset: number, onLine = lineNumber) => `${file}:${onLine}:${offset + 1}`;
    const equals = body.indexOf("=");
    if (equals < 0) {
      // Never quote the line: a stray line is often a piece of a secret (an unquoted PEM body).
      problems.push(`${at(lineStart)}: expected KEY=VALUE (no "=" on this line)`);
      continue;
    }
    const key = body.slice(0, equals).trim();
    if (!KEY.test(key)) {
      problems.push(
        `${at(bodyStart)}: invalid key${describeKey(key)}: use letters, digits, _ . - and don't start with a digit`,
      );
      continue;
    }
    const afterEquals = body.slice(equals + 1);
    const rest = afterEquals.trimStart();
    const valueStart = bodyStart + equals + 1 + (afterEquals.length - rest.length);
    const quote = rest[0];

    if (quote === '"' || quote === "'" || quote === "`") {
      // Gather lines until the closing quote (which may be on a later line).
      let text = rest.slice(1);
      let close = findClosingQuote(text, quote);
      while (close < 0 && index < lines.length) {
        text += `\n${lines[index] as string}`;
        index += 1;
        close = findClosingQuote(text, quote);
      }
      if (close < 0) {
        problems.push(
          `${at(valueStart)}: ${key}: unterminated ${quoteName(quote)}-quoted value (opened here)`,
        );
        continue;
      }
      const trailing = text.slice(close + 1).trim();
      if (trailing !== "" && !trailing.startsWith("#")) {
        const before = text.slice(0, close + 1);
        const newlines = before.match(/\n/g)?.length ?? 0;
        // On the closing quote's line: count from that line's start (the value's start on the first).
        const lineOffset = newlines === 0 ? valueStart + 1 : 0;
        const afterQuote = text.slice(close + 1);
        const column =
          lineOffset +
          (before.length - (before.lastIndexOf("\n") + 1)) +
          (afterQuote.length - afterQuote.trimStart().length);
        problems.push(
          `${at(column, lineNumber + newlines)}: ${key}: unexpected text after the closing quote`,
        );
        continue;
      }
      const inner = text.slice(0, close);
      const value = quote === '"' ? unescapeDouble(inner) : inner;
      entries.delete(key);
      entries.set(key, { key, value, line: lineNumber });
      continue;
    }

    // Unquoted: a `#` starts a comment at the start or after whitespace (so `a#b` stays a value), as
    // in docker compose and python-dotenv; `rest` was trimmed, so `A= # note` is empty here.
    const comment = rest.startsWith("#") ? 0 : rest.search(/\s#/);
    const value = (comment >= 0 ? rest.slice(0, comment) : rest).trim();
    entries.delete(key);
    entries.set(key, { key, value, line: lineNumber });
  }

  if (problems.length > 0) throw new ParityInputError(`Malformed dotenv file ${file}`, problems);
  return [...entries.values()];
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === '"' && char === "\\") {
      i += 1; // skip the escaped character
      continue;
    }
    if (char === quote) return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\(.)/g, (whole, char: string) => DOUBLE_QUOTE_ESCAPES[char] ?? whole);
}

function quoteName(quote: string): string {
  return quote === '"' ? "double" : quote === "'" ? "single" : "backtick";
}

/** Names a bad key only when it looks like a name, not like a fragment of a secret. */
function describeKey(key: string): string {
  if (key === "") return " (empty)";
  return /^[A-Za-z0-9_ .-]{1,40}$/.test(key) ? ` "${key}"` : "";
}
