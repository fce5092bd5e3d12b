// Every lint rule as a table of migrations that must pass and must be reported, against the same
// target facts (a million-row orders table, a 200-row countries table). The real parser, no I/O.
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import type { TargetFacts } from "../../audit/lint/facts.ts";
import { lintMigrations } from "../../audit/lint/lint.ts";
import { loadParser, parseMigration } from "../../audit/lint/parse.ts";
import type { LintEvidence } from "../../audit/lint/rule.ts";
import { lintRules } from "../../audit/lint/rules/index.ts";
import { DEFAULT_LINT_SETTINGS } from "../../audit/lint/settings.ts";
import { targetFacts } from "./facts-fixture.ts";

beforeAll(() => loadParser());

function lint(sql: string, target: TargetFacts = targetFacts()): Finding[] {
  const statements = parseMigration(sql, "m.sql");
  return (
    lintMigrations({
      migrations: [{ file: "m.sql", statements }],
      target,
      settings: DEFAULT_LINT_SETTINGS,
    })[0]?.findings ?? []
  );
}

interface Case {
  sql: string;
  /** Severity of the one finding of the rule under test; absent: the rule must stay quiet. */
  severity?: Finding["severity"];
  object?: string;
  rewrite?: string;
  message?: RegExp;
  target?: TargetFacts;
}

const CASES: Record<string, { valid: Case[]; invalid: Case[] }> = {
  "lint/create-index-not-concurrently": {
    valid: [
      { sql: "CREATE INDEX CONCURRENTLY i ON orders (created_at)" },
      { sql: "CREATE INDEX i ON countries (name)" },
      { sql: "CREATE TABLE fresh (x int); CREATE INDEX ON fresh (x)" },
      { sql: "ALTER TABLE orders ADD CONSTRAINT k UNIQUE USING INDEX k" },
      { sql: "CREATE INDEX i ON not_there (x)" },
    ],
    invalid: [
      {
        sql: "CREATE INDEX i ON orders (created_at)",
        severity: "error",
        object: "public.orders",
        rewrite: "CREATE INDEX CONCURRENTLY i ON orders (created_at)",
        message: /public\.orders \(1,000,000 rows, 68 MB; 90 MB with indexes\) takes a SHARE lock/,
      },
      {
        sql: 'CREATE /* INDEX */ UNIQUE INDEX "Odd Name" ON public.orders USING btree (lower(status))',
        severity: "error",
        rewrite:
          'CREATE /* INDEX */ UNIQUE INDEX CONCURRENTLY "Odd Name" ON public.orders USING btree (lower(status))',
      },
      {
        sql: "ALTER TABLE orders ADD CONSTRAINT orders_email_key UNIQUE (email)",
        severity: "error",
        message: /ADD UNIQUE orders_email_key builds its unique index on public\.orders .* ACCESS EXCLUSIVE/,
        rewrite:
          "CREATE UNIQUE INDEX CONCURRENTLY orders_email_key ON public.orders (email); ALTER TABLE public.orders ADD CONSTRAINT orders_email_key UNIQUE USING INDEX orders_email_key;",
      },
    ],
  },
  "lint/add-column-volatile-default": {
    valid: [
      { sql: "ALTER TABLE orders ADD COLUMN seen timestamptz DEFAULT now()" },
      { sql: "ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false" },
      { sql: "ALTER TABLE orders ADD COLUMN code text DEFAULT lower('A')" },
      { sql: "ALTER TABLE countries ADD COLUMN ref uuid DEFAULT gen_random_uuid()" },
      { sql: "ALTER TABLE orders ADD COLUMN note2 text" },
    ],
    invalid: [
      {
        sql: "ALTER TABLE orders ADD COLUMN ref uuid DEFAULT gen_random_uuid()",
        severity: "error",
        object: "public.orders.ref",
        message: /gen_random_uuid\(\), volatile on the target/,
      },
      { sql: "ALTER TABLE orders ADD COLUMN n bigserial", severity: "error", message: /bigserial/ },
      { sql: "ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY", severity: "error" },
      {
        sql: "ALTER TABLE orders ADD COLUMN cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED",
        severity: "error",
      },
      {
        sql: "ALTER TABLE orders ADD COLUMN x int DEFAULT my_func()",
        severity: "error",
        message: /does not have/,
      },
      {
        sql: "ALTER TABLE orders ADD COLUMN x int DEFAULT 0",
        target: targetFacts({ serverVersionNum: 100023 }),
        severity: "error",
        message: /before PostgreSQL 11/,
      },
    ],
  },
  "lint/type-change-rewrite": {
    valid: [
      { sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2)" },
      { sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric" },
      { sql: "ALTER TABLE orders ALTER COLUMN email TYPE varchar(50)" },
      { sql: "ALTER TABLE orders ALTER COLUMN email TYPE text" },
      { sql: "ALTER TABLE orders ALTER COLUMN status TYPE varchar" },
      { sql: "ALTER TABLE countries ALTER COLUMN code TYPE int USING code::int" },
    ],
    invalid: [
      { sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4)", severity: "error" },
      { sql: "ALTER TABLE orders ALTER COLUMN email TYPE varchar(10)", severity: "error" },
      {
        sql: "ALTER TABLE orders ALTER COLUMN id TYPE integer",
        severity: "error",
        message: /rebuilds its 1 index: bigint → int4 is not binary coercible/,
      },
      { sql: "ALTER TABLE orders ALTER COLUMN status TYPE varchar(20)", severity: "error" },
      {
        sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric USING total * 2",
        severity: "error",
        message: /USING/,
      },
    ],
  },
  "lint/set-not-null-without-check": {
    valid: [
      { sql: "ALTER TABLE customers ALTER COLUMN email SET NOT NULL" },
      { sql: "ALTER TABLE orders ALTER COLUMN status SET NOT NULL" },
      { sql: "ALTER TABLE countries ALTER COLUMN name SET NOT NULL" },
      {
        sql: [
          "ALTER TABLE orders ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;",
          "ALTER TABLE orders VALIDATE CONSTRAINT note_nn;",
          "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
        ].join("\n"),
      },
    ],
    invalid: [
      {
        sql: "ALTER TABLE orders ALTER COLUMN note SET NOT NULL",
        severity: "warning",
        object: "public.orders.note",
        rewrite:
          "ALTER TABLE public.orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID; ALTER TABLE public.orders VALIDATE CONSTRAINT orders_note_not_null; ALTER TABLE public.orders ALTER COLUMN note SET NOT NULL; ALTER TABLE public.orders DROP CONSTRAINT orders_note_not_null;",
      },
      // A check the target has but never validated proves nothing.
      { sql: "ALTER TABLE customers ALTER COLUMN phone SET NOT NULL", severity: "error" },
      {
        sql: "ALTER TABLE orders ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID; ALTER TABLE orders ALTER COLUMN note SET NOT NULL",
        severity: "warning",
      },
      {
        sql: "ALTER TABLE customers ALTER COLUMN email SET NOT NULL",
        target: targetFacts({ serverVersionNum: 110022 }),
        severity: "error",
        message: /PostgreSQL 12 or later/,
      },
    ],
  },
  "lint/constraint-not-valid": {
    valid: [
      {
        sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID",
      },
      { sql: "ALTER TABLE orders VALIDATE CONSTRAINT fk" },
      { sql: "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID" },
      { sql: "ALTER TABLE countries ADD CONSTRAINT c CHECK (length(code) = 2)" },
    ],
    invalid: [
      {
        sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id)",
        severity: "error",
        message: /SHARE ROW EXCLUSIVE lock .* on both tables/,
        rewrite:
          "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID; ALTER TABLE public.orders VALIDATE CONSTRAINT fk;",
      },
      { sql: "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0)", severity: "warning" },
      { sql: "ALTER TABLE customers ADD CONSTRAINT c CHECK (email <> '')", severity: "error" },
    ],
  },
  "lint/concurrently-in-transaction": {
    valid: [
      { sql: "CREATE INDEX CONCURRENTLY i ON orders (created_at)" },
      {
        sql: "BEGIN; ALTER TABLE countries ADD COLUMN x int; COMMIT; CREATE INDEX CONCURRENTLY i ON orders (x)",
      },
      { sql: "BEGIN; CREATE INDEX i ON countries (name); COMMIT" },
    ],
    invalid: [
      {
        sql: "BEGIN;\nCREATE INDEX CONCURRENTLY i ON orders (created_at);\nCOMMIT;",
        severity: "error",
        message: /^m\.sql:2:1: /,
      },
      { sql: "START TRANSACTION; DROP INDEX CONCURRENTLY shop.i", severity: "error", object: "shop.i" },
      { sql: "BEGIN; REINDEX (CONCURRENTLY) INDEX i", severity: "error", message: /REINDEX CONCURRENTLY/ },
    ],
  },
  "lint/missing-lock-timeout": {
    valid: [
      { sql: "SET lock_timeout = '2s'; ALTER TABLE orders ADD COLUMN x int" },
      { sql: "BEGIN; SET LOCAL lock_timeout = '2s'; ALTER TABLE orders ADD COLUMN x int; COMMIT" },
      { sql: "CREATE INDEX CONCURRENTLY i ON orders (created_at)" },
      { sql: "CREATE TABLE fresh (x int); ALTER TABLE fresh ADD COLUMN y int" },
    ],
    invalid: [
      { sql: "ALTER TABLE countries ADD COLUMN x int", severity: "warning", object: "public.countries" },
      { sql: "SET lock_timeout = 0; ALTER TABLE orders ADD COLUMN x int", severity: "warning" },
      { sql: "SET LOCAL lock_timeout = '2s'; ALTER TABLE orders ADD COLUMN x int", severity: "warning" },
      {
        sql: "BEGIN; SET LOCAL lock_timeout = '2s'; COMMIT; ALTER TABLE orders ADD COLUMN x int",
        severity: "warning",
      },
      // Reported once per file, at the first statement that needs it.
      {
        sql: "ALTER TABLE orders ADD COLUMN x int; ALTER TABLE orders ADD COLUMN y int",
        severity: "warning",
        message: /:1:1:/,
      },
    ],
  },
  "lint/missing-statement-timeout": {
    valid: [{ sql: "SET statement_timeout = '1min'; ALTER TABLE orders ADD COLUMN x int" }],
    invalid: [{ sql: "ALTER TABLE orders ADD COLUMN x int", severity: "info" }],
  },
  "lint/drop": {
    valid: [
      { sql: "DROP TABLE IF EXISTS not_there" },
      { sql: "ALTER TABLE orders DROP COLUMN IF EXISTS nope" },
    ],
    invalid: [
      { sql: "DROP TABLE orders", severity: "warning", message: /1,000,000 rows/ },
      { sql: "ALTER TABLE orders DROP COLUMN note", severity: "warning", object: "public.orders.note" },
    ],
  },
};

it("has a table of cases for every rule", () => {
  expect(Object.keys(CASES).sort()).toEqual(lintRules.map((rule) => rule.meta.id));
});

describe.each(Object.entries(CASES))("%s", (ruleId, { valid, invalid }) => {
  it.each(valid)("passes: $sql", ({ sql, target }) => {
    expect(lint(sql, target).filter((finding) => finding.ruleId === ruleId)).toEqual([]);
  });

  it.each(invalid)("reports: $sql", ({ sql, target, severity, object, rewrite, message }) => {
    const findings = lint(sql, target).filter((finding) => finding.ruleId === ruleId);
    expect(findings).toHaveLength(1);
    const [finding] = findings as [Finding];
    expect(finding.severity).toBe(severity);
    expect(finding.location.environment).toBe("production");
    if (object) expect(finding.location.object).toBe(object);
    if (rewrite) expect(finding.expected).toBe(rewrite);
    if (message) expect(finding.message).toMatch(message);
  });
});

describe("evidence and thresholds", () => {
  it("gives the numbers behind a verdict: rows, sizes, lock and the estimate", () => {
    const [finding] = lint("CREATE INDEX i ON orders (created_at)").filter((f) => f.severity === "error");
    const evidence = finding?.actual as LintEvidence;
    expect(evidence).toMatchObject({
      table: "public.orders",
      rows: 1_000_000,
      rowsFrom: "statistics",
      lock: "SHARE",
    });
    // 68 MB at 600 MB/s + 1,000,000 keys at 4,000,000/s
    expect(evidence.estimatedSeconds).toBeCloseTo(68 / 600 + 1 / 4, 2);
  });

  it("raises nothing for a table under smallTableRows, whatever the estimate", () => {
    const settings = { ...DEFAULT_LINT_SETTINGS, smallTableRows: 2_000_000 };
    const statements = parseMigration("CREATE INDEX i ON orders (created_at)", "m.sql");
    const [outcome] = lintMigrations({
      migrations: [{ file: "m.sql", statements }],
      target: targetFacts(),
      settings,
    });
    expect(outcome?.findings.filter((f) => f.ruleId === "lint/create-index-not-concurrently")).toEqual([]);
  });

  it("turns an error into a warning when the calibrated throughput says the build is short", () => {
    const settings = {
      ...DEFAULT_LINT_SETTINGS,
      throughput: {
        ...DEFAULT_LINT_SETTINGS.throughput,
        indexKeysPerSecond: 10_000_000,
        scanMegabytesPerSecond: 2000,
      },
    };
    const statements = parseMigration("CREATE INDEX i ON orders (created_at)", "m.sql");
    const [outcome] = lintMigrations({
      migrations: [{ file: "m.sql", statements }],
      target: targetFacts(),
      settings,
    });
    expect(outcome?.findings.find((f) => f.ruleId === "lint/create-index-not-concurrently")?.severity).toBe(
      "warning",
    );
  });
});
