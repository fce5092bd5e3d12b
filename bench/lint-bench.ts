// parity lint's two numbers that matter, measured on this machine:
//  1. the duration model against real statements: for each table size, parity's estimate and the
//     real time of an index build, a two-column index build, a CHECK validation scan and a type-change
//     rewrite, with the throughput they imply (what to put in lint.throughput);
//  2. the CLI a user runs, `parity lint` on the 36-migration corpus, timed next to its peer squawk on
//     the same files, with both tools' findings side by side.
//
//   npm run bench -- lint [--rows 500000,1000000,2000000] [--major 13|15] [--runs 3]
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { withClient } from "../audit/core/pg-client.ts";
import {
  foreignKeyValidationSeconds,
  indexBuildSeconds,
  rewriteSeconds,
  scanSeconds,
} from "../audit/lint/estimate.ts";
import { readTargetFacts } from "../audit/lint/read-facts.ts";
import { DEFAULT_THROUGHPUT } from "../audit/lint/settings.ts";
import { compareWithSquawk, formatSideBySide, runSquawk, writeCorpus } from "../test/lint/compare-squawk.ts";
import { CORPUS, CORPUS_TARGET } from "../test/lint/corpus.ts";
import { createDatabase, startEmbeddedPostgres } from "../test/support/embedded-postgres.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "500000,1000000,2000000" },
    major: { type: "string", default: "15" },
    runs: { type: "string", default: "3" },
  },
});
const sizes = values.rows.split(",").map(Number);
const major = values.major === "13" ? 13 : 15;
const runs = Number(values.runs);
const MB = 1024 * 1024;

const TABLE = `
DROP TABLE IF EXISTS bench_orders;
CREATE TABLE bench_orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL,
  total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL);`;
const load = (rows: number) => `
INSERT INTO bench_orders SELECT g, 1 + g % 50000, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], (g % 100000) / 100.0,
  timestamptz '2026-01-01' + g * interval '7 seconds' FROM generate_series(1, ${rows}) g;`;

async function timed(url: string, sql: string, undo?: string): Promise<number> {
  return withClient(url, async (client) => {
    const started = performance.now();
    await client.query(sql);
    const seconds = (performance.now() - started) / 1000;
    if (undo) await client.query(undo);
    return seconds;
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function model(url: string): Promise<void> {
  process.stdout.write(
    `\nduration model (PostgreSQL ${major}, median of ${runs}; default throughput ${JSON.stringify(DEFAULT_THROUGHPUT)})\n`,
  );
  process.stdout.write(
    `${"rows".padStart(9)}  ${"heap".padStart(7)}  statement                          estimate      real   real/est\n`,
  );
  const ratios: number[] = [];
  for (const rows of sizes) {
    await withClient(url, async (client) => {
      await client.query(TABLE + load(rows));
      // Outside the load's implicit transaction; settles the visibility map so no timed statement pays for it.
      await client.query("VACUUM ANALYZE bench_orders");
    });
    const facts = await readTargetFacts({
      url,
      environment: "bench",
      relations: ["bench_orders"],
      functions: [],
    });
    const table = facts.tables.get("bench_orders");
    if (!table) throw new Error("bench_orders was not read");
    const cases = [
      {
        what: "CREATE INDEX (created_at)",
        estimate: indexBuildSeconds(table, 1, DEFAULT_THROUGHPUT),
        sql: "CREATE INDEX bench_i ON bench_orders (created_at)",
        undo: "DROP INDEX bench_i",
      },
      {
        what: "CREATE INDEX (customer_id, status)",
        estimate: indexBuildSeconds(table, 2, DEFAULT_THROUGHPUT),
        sql: "CREATE INDEX bench_i ON bench_orders (customer_id, status)",
        undo: "DROP INDEX bench_i",
      },
      {
        what: "ADD CHECK (validation scan)",
        estimate: scanSeconds(table, DEFAULT_THROUGHPUT),
        sql: "ALTER TABLE bench_orders ADD CONSTRAINT bench_c CHECK (total >= 0)",
        undo: "ALTER TABLE bench_orders DROP CONSTRAINT bench_c",
      },
      {
        what: "ADD FOREIGN KEY (validation)",
        estimate: foreignKeyValidationSeconds(table, table, DEFAULT_THROUGHPUT),
        sql: "ALTER TABLE bench_orders ADD CONSTRAINT bench_f FOREIGN KEY (customer_id) REFERENCES bench_orders (id)",
        undo: "ALTER TABLE bench_orders DROP CONSTRAINT bench_f",
      },
      {
        what: "ALTER TYPE int → bigint (rewrite)",
        estimate: rewriteSeconds(table, DEFAULT_THROUGHPUT),
        sql: "ALTER TABLE bench_orders ALTER COLUMN customer_id TYPE bigint",
        undo: "ALTER TABLE bench_orders ALTER COLUMN customer_id TYPE int",
      },
    ];
    for (const { what, estimate, sql, undo } of cases) {
      const real = median(await sequence(runs, () => timed(url, sql, undo)));
      ratios.push(real / estimate);
      process.stdout.write(
        `${String(rows).padStart(9)}  ${`${Math.round(table.heapBytes / MB)} MB`.padStart(7)}  ${what.padEnd(33)}  ${estimate.toFixed(3).padStart(7)} s  ${real.toFixed(3).padStart(7)} s   ${(real / estimate).toFixed(2)}\n`,
      );
    }
    const indexReal = median(await sequence(runs, () => timed(url, cases[0]?.sql ?? "", cases[0]?.undo)));
    const scanReal = median(
      await sequence(runs, () => timed(url, "SELECT count(*) FROM bench_orders WHERE total < 0")),
    );
    process.stdout.write(
      `           measured: heap scan ${(table.heapBytes / MB / scanReal).toFixed(0)} MB/s, one-column index build ${(rows / Math.max(0.001, indexReal - scanReal) / 1e6).toFixed(2)} M keys/s (after the scan)\n`,
    );
  }
  const worst = Math.max(...ratios.map((ratio) => Math.max(ratio, 1 / ratio)));
  process.stdout.write(`worst real/estimate (either way): ${worst.toFixed(2)}× (target: within 3×)\n`);
}

async function sequence<T>(count: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < count; index += 1) results.push(await run());
  return results;
}

async function corpus(url: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "parity-lint-bench-"));
  try {
    await withClient(url, (client) => client.query(CORPUS_TARGET));
    const files = await writeCorpus(CORPUS, dir);
    const exec = promisify(execFile);
    const cli = async () => {
      const started = performance.now();
      await exec(
        process.execPath,
        ["bin/parity.js", "lint", ...files, "--against", url, "--reporter", "json"],
        {
          maxBuffer: 64 * MB,
        },
      ).catch((error: { code?: number }) => {
        if (error.code !== 1) throw error;
      });
      return (performance.now() - started) / 1000;
    };
    const squawk = async () => {
      const started = performance.now();
      await runSquawk(files, `${major}.0`);
      return (performance.now() - started) / 1000;
    };
    const parityTimes = await sequence(runs, cli);
    const squawkTimes = await sequence(runs, squawk);
    const parity = median(parityTimes);
    const peer = median(squawkTimes);
    process.stdout.write(
      `\n${CORPUS.length} migrations, the CLI as a user runs it (median of ${runs}): parity lint ${parity.toFixed(2)} s (parse, one catalog read, rules), squawk ${peer.toFixed(2)} s (parse and rules, no database): ${(parity / peer).toFixed(1)}×\n\n`,
    );
    const rows = await compareWithSquawk({
      corpus: CORPUS,
      dir: join(dir, "side"),
      url,
      pgVersion: `${major}.0`,
    });
    process.stdout.write(formatSideBySide(rows));
    const squawkIndex = rows.filter((row) => row.squawk.includes("require-concurrent-index-creation")).length;
    const parityIndex = rows.filter((row) =>
      row.parity.some((f) => f.ruleId === "lint/create-index-not-concurrently"),
    ).length;
    const errors = (list: typeof rows) =>
      list.flatMap((row) => row.parity.filter((f) => f.severity === "error")).length;
    process.stdout.write(
      `\nsquawk: ${rows.reduce((sum, row) => sum + row.squawk.length, 0)} violations, ${squawkIndex} CREATE INDEX flagged; parity: ${errors(rows)} errors, ${parityIndex} CREATE INDEX flagged (only tables big enough to block)\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ major });
  try {
    const modelUrl = await createDatabase(server, "lint_model");
    await model(modelUrl);
    const corpusUrl = await createDatabase(server, "lint_corpus");
    await corpus(corpusUrl);
  } finally {
    await server.stop();
  }
}

await main();
