// A small scanner for PostgreSQL's deparsed SQL text, shared by the cross-major rewrites
// (sql-standard-syntax.ts, overlaps.ts): it skips string literals and quoted identifiers and
// matches parentheses. PostgreSQL has no SQL-callable parser for its own deparse output, and no
// library parses it, so this is hand-written; it only has to understand what the deparser prints.

const isIdentifierChar = (char: string | undefined) => char !== undefined && /[A-Za-z0-9_$]/.test(char);

/** Index just past the literal or quoted identifier starting at `start`. */
export function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  // E'…' strings escape with backslashes as well as by doubling the quote.
  const backslashes =
    quote === "'" && /[Ee]/.test(text[start - 1] ?? "") && !isIdentifierChar(text[start - 2]);
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (backslashes && char === "\\") index += 2;
    else if (char === quote && text[index + 1] === quote) index += 2;
    else if (char === quote) return index + 1;
    else index += 1;
  }
  return text.length;
}

/** Index of the `)` matching the `(` at `open`, or -1. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  let index = open;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === "'" || char === '"') {
      index = endOfQuoted(text, index);
      continue;
    }
    if (char === "(") depth += 1;
    else if (char === ")") {
      depth -= 1;
      if (depth === 0) return index;
    }
    index += 1;
  }
  return -1;
}

/** Top-level (outside parentheses and quotes) positions of `separator` in `text`. */
export function topLevel(text: string, separator: string): number[] {
  const found: number[] = [];
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === "'" || char === '"') {
      index = endOfQuoted(text, index);
      continue;
    }
    if (char === "(") depth += 1;
    else if (char === ")") depth -= 1;
    else if (depth === 0 && text.startsWith(separator, index)) {
      found.push(index);
      index += separator.length;
      continue;
    }
    index += 1;
  }
  return found;
}

export function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const at of topLevel(text, separator)) {
    parts.push(text.slice(from, at));
    from = at + separator.length;
  }
  parts.push(text.slice(from));
  return parts;
}
