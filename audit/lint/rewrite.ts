// Safe rewrites built from the statement's own text, edited at token positions from PostgreSQL's
// scanner (scanSync), so quoted names, comments and odd spacing survive exactly as written.
import { scanSync } from "libpg-query";

/** `CREATE INDEX i ON t (c)` + (INDEX, CONCURRENTLY) → `CREATE INDEX CONCURRENTLY i ON t (c)`. */
export function insertAfterKeyword(sql: string, keyword: string, insert: string): string {
  const bytes = Buffer.from(sql, "utf8");
  const token = scanSync(sql).tokens.find(
    (candidate) => candidate.keywordKind !== 0 && candidate.text.toUpperCase() === keyword,
  );
  if (!token) return sql;
  const before = bytes.subarray(0, token.end).toString("utf8");
  const after = bytes.subarray(token.end).toString("utf8");
  return `${before} ${insert}${after}`;
}
