// Beyond squawk: on a corpus of 36 everyday migrations against a real PostgreSQL 15 target, squawk
// flags every CREATE INDEX without CONCURRENTLY whatever the table's size; parity flags only those
// that matter on this target, each with its rows, lock and estimated duration. The table is printed.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadParser, parseMigration } from "../../audit/lint/parse.ts";
import type { LintEvidence } from "../../audit/lint/rule.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { compareWithSquawk, formatSideBySide, type SideBySide } from "./compare-squawk.ts";
import { CORPUS, CORPUS_TARGET } from "./corpus.ts";

let target: TestDatabase;
let dir: string;
let rows: SideBySide[];

beforeAll(async () => {
  await loadParser();
  target = await createTestDatabase(15, CORPUS_TARGET, { autoDrop: false, prefix: "lint_corpus" });
  dir = await mkdtemp(join(tmpdir(), "parity-lint-corpus-"));
  rows = await compareWithSquawk({ corpus: CORPUS, dir, url: target.url, pgVersion: "15.0" });
  process.stdout.write(`\n${formatSideBySide(rows)}`);
});

afterAll(async () => {
  await Promise.all([target?.drop(), dir && rm(dir, { recursive: true, force: true })]);
});

const row = (name: string): SideBySide => {
  const found = rows.find((candidate) => candidate.entry.name === name);
  if (!found) throw new Error(`no corpus entry ${name}`);
  return found;
};
const parityRules = (name: string) => row(name).parity.map((finding) => finding.ruleId);
const blockingIndexBuild = (sql: string) =>
  parseMigration(sql, "corpus.sql").some(({ node }) => "IndexStmt" in node && !node.IndexStmt.concurrent);

describe("parity against squawk on the corpus", () => {
  it("has at least 30 migrations", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  it("squawk flags every CREATE INDEX on an existing table whatever its size; parity only the big ones", () => {
    const indexBuilds = rows.filter(
      (candidate) => blockingIndexBuild(candidate.entry.sql) && !candidate.entry.sql.includes("CREATE TABLE"),
    );
    expect(indexBuilds.map((candidate) => candidate.entry.name)).toEqual([
      "index-orders-created-at",
      "index-orders-two-columns",
      "unique-index-customers-email",
      "index-small-countries",
      "index-empty-events",
      "brin-empty-events",
    ]);
    for (const candidate of indexBuilds)
      expect(candidate.squawk).toContain("require-concurrent-index-creation");
    const flagged = indexBuilds.filter((candidate) =>
      candidate.parity.some((finding) => finding.ruleId === "lint/create-index-not-concurrently"),
    );
    expect(flagged.map((candidate) => candidate.entry.name)).toEqual([
      "index-orders-created-at",
      "index-orders-two-columns",
      "unique-index-customers-email",
    ]);
  });

  it("explains every size verdict with the target's rows, lock and estimated duration", () => {
    const sized = rows.flatMap((candidate) =>
      candidate.parity.filter((finding) => (finding.actual as LintEvidence).estimatedSeconds !== undefined),
    );
    expect(sized.length).toBeGreaterThanOrEqual(8);
    for (const finding of sized) {
      const evidence = finding.actual as LintEvidence;
      expect(evidence.rows).toBeGreaterThanOrEqual(100_000);
      expect(evidence.lock).toMatch(/SHARE|EXCLUSIVE/);
      expect(finding.message).toMatch(/\d rows, .* for ~[\d.]+ (ms|s|min) \(estimated\)/);
    }
  });

  it("stays quiet where the target proves the change safe, where squawk cannot know", () => {
    expect(row("set-not-null-with-validated-check").parity.map((finding) => finding.ruleId)).not.toContain(
      "lint/set-not-null-without-check",
    );
    for (const name of ["widen-numeric", "varchar-to-text"]) {
      expect(row(name).squawk).toContain("changing-column-type");
      expect(parityRules(name)).not.toContain("lint/type-change-rewrite");
    }
    expect(parityRules("text-to-varchar-limit")).toContain("lint/type-change-rewrite");
    expect(parityRules("int-to-bigint")).toContain("lint/type-change-rewrite");
    expect(parityRules("add-column-now-default")).not.toContain("lint/add-column-volatile-default");
    expect(parityRules("add-column-uuid-default")).toContain("lint/add-column-volatile-default");
    expect(parityRules("add-bigserial-small-table")).toEqual(
      expect.not.arrayContaining(["lint/add-column-volatile-default"]),
    );
  });

  it("raises fewer errors than squawk raises violations, and none on small or empty tables", () => {
    const squawkCount = rows.reduce((sum, candidate) => sum + candidate.squawk.length, 0);
    const parityErrors = rows.flatMap((candidate) =>
      candidate.parity.filter((finding) => finding.severity === "error"),
    );
    expect(parityErrors.length).toBeLessThan(squawkCount / 2);
    for (const finding of parityErrors) {
      expect(finding.location.object).not.toMatch(/countries|events/);
    }
  });
});
