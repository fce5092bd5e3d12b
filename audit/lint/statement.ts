// One statement of a migration, as PostgreSQL's own parser (libpg-query) sees it, with where it came
// from so every finding can point at a file, line and column.
import type { Node } from "libpg-query";

export interface StatementSource {
  /** The migration file (as the user named it) or `plan.json#statements[3]`. */
  file: string;
  /** 1-based line and column of the statement's first character. */
  line: number;
  column: number;
}

export interface LintStatement {
  /** Position in its file (0-based), so findings sort in the order the migration runs. */
  index: number;
  /** The statement's text as written, without the trailing semicolon. */
  sql: string;
  source: StatementSource;
  /** The parse tree of the statement (`{ IndexStmt: … }`, `{ AlterTableStmt: … }`, …). */
  node: Node;
}

/** `migrations/0042.sql:3:1`. */
export function formatSource(source: StatementSource): string {
  return `${source.file}:${source.line}:${source.column}`;
}
