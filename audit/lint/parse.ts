// Migration text → statements, with PostgreSQL's real grammar (libpg-query: the parser compiled from
// PostgreSQL's source to WASM). A syntax error is bad input (exit 2) naming the file, line and column.
import { hasSqlDetails, loadModule, parseSync } from "libpg-query";
import { ParityInputError } from "../core/errors.ts";
import type { LintStatement } from "./statement.ts";

let loaded: Promise<void> | undefined;

/** The WASM module loads once per process (about 20 ms), on first use. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** Every statement of `text` in order; `file` names it in messages. Call loadParser() first. */
export function parseMigration(text: string, file: string): LintStatement[] {
  // The parser reports byte offsets into the UTF-8 text; positions are computed on the bytes.
  const bytes = Buffer.from(text, "utf8");
  let tree: ReturnType<typeof parseSync>;
  try {
    tree = parseSync(text);
  } catch (error) {
    if (!hasSqlDetails(error) || !error.sqlDetails) throw error;
    // The error's cursor counts characters (the server's pg_mbstrlen), not bytes.
    const before = [...text].slice(0, error.sqlDetails.cursorPosition).join("");
    const { line, column } = positionAt(Buffer.from(before, "utf8"), Number.POSITIVE_INFINITY);
    throw new ParityInputError(`${file}:${line}:${column}: SQL syntax error: ${error.sqlDetails.message}`);
  }
  return (tree.stmts ?? []).flatMap((raw, index) => {
    if (!raw.stmt) return [];
    const start = skipBlank(bytes, raw.stmt_location ?? 0);
    const end = raw.stmt_len ? (raw.stmt_location ?? 0) + raw.stmt_len : bytes.length;
    const sql = bytes.subarray(start, end).toString("utf8").trim();
    return [{ index, sql, source: { file, ...positionAt(bytes, start) }, node: raw.stmt }];
  });
}

function skipBlank(bytes: Buffer, offset: number): number {
  let at = offset;
  const blank = (byte: number | undefined) =>
    byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d);
  while (at < bytes.length && blank(bytes[at])) at += 1;
  return at;
}

/** 1-based line and column (in characters) of a byte offset. */
export function positionAt(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, Math.max(0, Math.min(offset, bytes.length))).toString("utf8");
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.split("\n").length;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}
