// Positions and statement text from PostgreSQL's parser: byte offsets turned into lines and columns
// a reader finds, with multi-byte characters, comments and a statement without a semicolon.
import { beforeAll, describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { loadParser, parseMigration } from "../../audit/lint/parse.ts";
import { insertAfterKeyword } from "../../audit/lint/rewrite.ts";

beforeAll(() => loadParser());

describe("parseMigration", () => {
  it("gives every statement its text and its first character's line and column", () => {
    const sql =
      "-- déjà vu: a comment\nSET lock_timeout = '2s';\n  /* note */ CREATE INDEX \"ïndex\" ON orders (created_at)";
    const statements = parseMigration(sql, "m.sql");
    expect(
      statements.map(({ sql: text, source, index }) => ({
        text,
        line: source.line,
        column: source.column,
        index,
      })),
    ).toEqual([
      { text: "SET lock_timeout = '2s'", line: 2, column: 1, index: 0 },
      { text: 'CREATE INDEX "ïndex" ON orders (created_at)', line: 3, column: 14, index: 1 },
    ]);
    expect(Object.keys(statements[1]?.node ?? {})).toEqual(["IndexStmt"]);
  });

  it("reads an empty file as no statements", () => {
    expect(parseMigration("-- nothing yet\n", "m.sql")).toEqual([]);
  });

  it("names file, line and column of a syntax error after multi-byte text", () => {
    const attempt = () => parseMigration("SELECT 'ü ü';\n\nALTER TABLE t ADD COLUMN;", "m.sql");
    expect(attempt).toThrow(ParityInputError);
    expect(attempt).toThrow('m.sql:3:25: SQL syntax error: syntax error at or near ";"');
  });
});

describe("insertAfterKeyword", () => {
  it("edits at the keyword token, not inside names, strings or comments", () => {
    expect(insertAfterKeyword(`CREATE /* INDEX */ INDEX "index" ON t (c)`, "INDEX", "CONCURRENTLY")).toBe(
      `CREATE /* INDEX */ INDEX CONCURRENTLY "index" ON t (c)`,
    );
    expect(insertAfterKeyword("create unique index i on t (c)", "INDEX", "CONCURRENTLY")).toBe(
      "create unique index CONCURRENTLY i on t (c)",
    );
  });
});
