// SQL-standard function syntax, read alike on every major. PostgreSQL 14 started deparsing the
// special forms as written (`SUBSTRING(x FROM 1 FOR 3)`, `POSITION(('a'::text) IN (x))`,
// `TRIM(BOTH 'x'::text FROM x)`, `(ts AT TIME ZONE 'UTC'::text)`, …); 13 prints the function
// each one calls (`"substring"(x, 1, 3)`, `"position"(x, 'a'::text)`, `btrim(x, 'x'::text)`,
// `timezone('UTC'::text, ts)`). Both mean the same call, so both are rewritten to one canonical
// call form: the function's plain name, its arguments in call order, each without the implicit
// `::text` / `::integer` cast 13 shows on arguments and 14+ hides in the special form.
//
// Not rewritten, because it is not the same expression: `EXTRACT(f FROM x)` (14+: numeric, the
// `extract` function) against 13's `date_part('f'::text, x)` (double precision); see
// crossMajorReason. PostgreSQL has no SQL-callable deparser that could be asked for either form,
// and no library parses its deparse output, so this is a small scanner: it skips string literals
// and quoted identifiers, matches parentheses, and only looks at the forms below.

/** Cheap gate: most expressions hold none of these, and are returned untouched. */
const MAY_HOLD =
  /SUBSTRING\(|POSITION\(|TRIM\(|OVERLAY\(|NORMALIZE|AT TIME ZONE|COLLATION FOR|"substring"\(|"position"\(|"overlay"\(|"normalize"\(|\b(?:b|l|r)trim\(|\btimezone\(|\bis_normalized\(|\bpg_collation_for\(/;

/** Call forms (13, and plain calls on any major) and the canonical name each stands for. */
const CALLS: Record<string, string> = {
  substring: "substring",
  position: "position",
  overlay: "overlay",
  normalize: "normalize",
  btrim: "btrim",
  ltrim: "ltrim",
  rtrim: "rtrim",
  timezone: "timezone",
  is_normalized: "is_normalized",
  pg_collation_for: "pg_collation_for",
};

const SPECIAL_FORMS = new Set(["SUBSTRING", "POSITION", "TRIM", "OVERLAY", "NORMALIZE"]);

const TRIM_FUNCTIONS: Record<string, string> = { BOTH: "btrim", LEADING: "ltrim", TRAILING: "rtrim" };

export function canonicalSqlStandardSyntax(text: string): string {
  if (!MAY_HOLD.test(text)) return text;
  return rewrite(text);
}

import { endOfQuoted, matchingParen, splitTop, topLevel } from "./sql-text.ts";

const isIdentifierStart = (char: string | undefined) => char !== undefined && /[A-Za-z_]/.test(char);
const isIdentifierChar = (char: string | undefined) => char !== undefined && /[A-Za-z0-9_$]/.test(char);

/** Splits at the first top-level occurrence of each separator in turn; trailing ones may be absent. */
function splitSequence(text: string, separators: readonly string[], required: number): string[] | null {
  const parts: string[] = [];
  let rest = text;
  for (const [i, separator] of separators.entries()) {
    const at = topLevel(rest, separator)[0];
    if (at === undefined) {
      if (i < required) return null;
      break;
    }
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return parts;
}

/** `(x)` → `x` when the parentheses enclose the whole text. */
function unwrap(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("(") && matchingParen(trimmed, 0) === trimmed.length - 1) {
    return trimmed.slice(1, -1).trim();
  }
  return trimmed;
}

const SIMPLE =
  /^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"))*$/;

/** One argument in canonical form: without an implicit-looking cast to text or integer. */
function argument(text: string): string {
  let value = text.trim();
  const cast = /::(?:text|integer)$/.exec(value);
  if (cast) {
    const operand = value.slice(0, cast.index);
    const whole =
      (operand.startsWith("'") && endOfQuoted(operand, 0) === operand.length) ||
      (operand.startsWith("(") && matchingParen(operand, 0) === operand.length - 1) ||
      SIMPLE.test(operand) ||
      /^-?\d+$/.test(operand);
    if (whole) value = operand;
  }
  const inner = unwrap(value);
  return inner !== value && (SIMPLE.test(inner) || /^-?\d+$/.test(inner)) ? inner : value;
}

const call = (name: string, args: readonly string[]) => `${name}(${args.map(argument).join(", ")})`;

/** A special form's inner text (already rewritten) as a canonical call, or null to keep it. */
function specialForm(keyword: string, inner: string): string | null {
  switch (keyword) {
    case "SUBSTRING": {
      if (topLevel(inner, " SIMILAR ").length > 0) return null;
      const parts = splitSequence(inner, [" FROM ", " FOR "], 1);
      return parts ? call("substring", parts) : null;
    }
    case "POSITION": {
      const parts = splitSequence(inner, [" IN "], 1);
      if (!parts) return null;
      const [needle, haystack] = parts.map(unwrap) as [string, string];
      return call("position", [haystack, needle]);
    }
    case "TRIM": {
      const mode = /^(BOTH|LEADING|TRAILING)\b ?/.exec(inner);
      if (!mode) return null;
      const rest = inner.slice(mode[0].length);
      const name = TRIM_FUNCTIONS[mode[1] as string] as string;
      if (rest.startsWith("FROM ")) return call(name, [rest.slice(5)]);
      const parts = splitSequence(rest, [" FROM "], 1);
      return parts ? call(name, [parts[1] as string, parts[0] as string]) : null;
    }
    case "OVERLAY": {
      const parts = splitSequence(inner, [" PLACING ", " FROM ", " FOR "], 2);
      return parts ? call("overlay", parts) : null;
    }
    case "NORMALIZE": {
      const [value, form] = splitTop(inner, ", ");
      if (value === undefined) return null;
      return call("normalize", form === undefined ? [value] : [value, `'${form.trim().toLowerCase()}'`]);
    }
    default:
      return null;
  }
}

/** A parenthesized group's inner text (already rewritten) as a canonical call, or null. */
function operatorForm(inner: string): string | null {
  const zone = topLevel(inner, " AT TIME ZONE ");
  if (zone.length === 1) {
    const at = zone[0] as number;
    return call("timezone", [inner.slice(at + " AT TIME ZONE ".length), inner.slice(0, at)]);
  }
  const normalized = / IS (?:(NFC|NFD|NFKC|NFKD) )?NORMALIZED$/.exec(inner);
  if (normalized && topLevel(inner, normalized[0]).includes(normalized.index)) {
    const value = inner.slice(0, normalized.index);
    return call("is_normalized", normalized[1] ? [value, `'${normalized[1].toLowerCase()}'`] : [value]);
  }
  return null;
}

function rewrite(text: string): string {
  let out = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '"') {
      const end = endOfQuoted(text, index);
      const name = text.slice(index + 1, end - 1);
      if (text[end] === "(" && CALLS[name] && !isIdentifierChar(text[index - 1])) {
        const close = matchingParen(text, end);
        if (close !== -1) {
          out += call(CALLS[name] as string, splitTop(rewrite(text.slice(end + 1, close)), ", "));
          index = close + 1;
          continue;
        }
      }
      out += text.slice(index, end);
      index = end;
      continue;
    }
    if (char === "'") {
      const end = endOfQuoted(text, index);
      out += text.slice(index, end);
      index = end;
      continue;
    }
    if (isIdentifierStart(char) && !isIdentifierChar(text[index - 1]) && text[index - 1] !== ".") {
      let end = index + 1;
      while (isIdentifierChar(text[end])) end += 1;
      const word = text.slice(index, end);
      if (word === "COLLATION" && text.startsWith(" FOR (", end)) {
        const open = end + " FOR ".length;
        const close = matchingParen(text, open);
        if (close !== -1) {
          out += call("pg_collation_for", [rewrite(text.slice(open + 1, close))]);
          index = close + 1;
          continue;
        }
      }
      const plain = CALLS[word];
      if (text[end] === "(" && (plain || SPECIAL_FORMS.has(word))) {
        const close = matchingParen(text, end);
        if (close !== -1) {
          const inner = rewrite(text.slice(end + 1, close));
          const canonical = plain ? call(plain, splitTop(inner, ", ")) : specialForm(word, inner);
          out += canonical ?? `${word}(${inner})`;
          index = close + 1;
          continue;
        }
      }
      out += word;
      index = end;
      continue;
    }
    if (char === "(") {
      const close = matchingParen(text, index);
      if (close !== -1) {
        const inner = rewrite(text.slice(index + 1, close));
        out += operatorForm(inner) ?? `(${inner})`;
        index = close + 1;
        continue;
      }
    }
    out += char;
    index += 1;
  }
  return out;
}

/**
 * Why two definitions read on different majors differ although the DDL may be the same, when
 * the difference is real: EXTRACT returns numeric from PostgreSQL 14 and double precision
 * (date_part) before, so the expressions built on it are not the same.
 */
export function crossMajorReason(before: string, after: string): string | null {
  const extract = /\bEXTRACT\(/;
  const datePart = /\bdate_part\(/;
  if ((extract.test(before) && datePart.test(after)) || (datePart.test(before) && extract.test(after))) {
    return "EXTRACT returns numeric from PostgreSQL 14 and double precision (date_part) on 13: the same DDL builds a different expression, not just a different spelling";
  }
  return null;
}
