// Masking throughput against the floor, as `parity mask` runs it (the full scrub included: rewrite
// in one transaction, tsvector/matview handling, VACUUM FULL + ANALYZE of every masked table).
// Three masked columns: a unique email, a person name and a phone (format-preserving), on an
// embedded PostgreSQL 15 (or 13). The floor is a plain `UPDATE … SET a = md5(a), b = md5(b),
// c = md5(c)` of the same columns on an identical copy, in the same run (it leaves dead tuples and
// stale statistics behind). Target: parity ≤ 2× the floor, and linear growth: the time per row at
// the largest size within 1.25× of the smallest.
//
// The table has nothing depending on its masked columns, so parity masks it in one pass (ALTER TABLE …
// USING, audit/masking/rewrite.ts). `--with-view` adds a view over them, which the one pass sets aside
// and brings back (the same path plus that work); `--with-policy` adds a row-level security policy on
// them, which sends the table down the batched UPDATE path instead (then VACUUM FULL), to measure that path.
//
//   npm run bench -- masking [--rows 1000000[,5000000]] [--batch-size N] [--repeat N] [--major 13|15] [--with-view] [--with-policy]
import { parseArgs } from "node:util";
import { withClient } from "../audit/core/pg-client.ts";
import { maskDatabase, parseMaskingRules } from "../audit/masking/index.ts";
import { startEmbeddedPostgres } from "../test/support/embedded-postgres.ts";

const TARGET_RATIO = 2;
const LINEARITY = 1.25;

const { values } = parseArgs({
  options: {
    // Comma-separated sizes: `--rows 1000000,5000000` checks linear growth to five million.
    rows: { type: "string", default: "1000000" },
    "batch-size": { type: "string", default: "50000" },
    repeat: { type: "string", default: "1" },
    // 15 batches by heap page ranges; 13 (no TID range scans) by a cursor of ctids.
    major: { type: "string", default: "15" },
    "with-view": { type: "boolean", default: false },
    "with-policy": { type: "boolean", default: false },
  },
});
const sizes = values.rows.split(",").map(Number);
const batchSize = Number(values["batch-size"]);
const repeat = Number(values.repeat);
const major = values.major === "13" ? 13 : 15;

const SETUP_SQL = `
  create table people (
    id bigint primary key,
    email text not null,
    full_name text,
    phone text,
    created_at timestamptz not null default now()
  );
  insert into people (id, email, full_name, phone)
    select i, 'person' || i || '@corp.example', 'Person Number ' || i, '+44 20 7946 ' || lpad(i::text, 7, '0')
      from generate_series(1, $1::int) i;
  create unique index people_email on people (email);
  vacuum analyze people;
`;
// A view over the masked columns: ALTER COLUMN TYPE refuses such columns, so the one pass sets it aside.
const VIEW_SQL = "create view people_contacts as select id, email, phone from people";
// A policy on them: refused by ALTER COLUMN TYPE too, and not set aside, so masking batches UPDATEs.
const POLICY_SQL = "create policy people_own on people using (email = current_user and phone is not null)";

const RULES = parseMaskingRules(
  "tables:\n  people:\n    email: email\n    full_name: name\n    phone: phone\n",
  "bench/masking-bench.yaml",
);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ major });
  const results: Array<{ rows: number; floor: number; mask: number }> = [];
  try {
    for (const rows of sizes) {
      await withClient(server.url(), (client) => client.query("drop database if exists bench_source"));
      await withClient(server.url(), (client) => client.query("create database bench_source"));
      await withClient(server.url("bench_source"), async (client) => {
        const [create = "", ...rest] = SETUP_SQL.split(";\n").filter((part) => part.trim());
        await client.query(create);
        for (const statement of rest) {
          await client.query(statement, statement.includes("$1") ? [rows] : []);
        }
        if (values["with-view"]) await client.query(VIEW_SQL);
        if (values["with-policy"]) await client.query(POLICY_SQL);
      });
      const floorTimes: number[] = [];
      const maskTimes: number[] = [];
      const updateTimes: number[] = [];
      let path = "";
      for (let run = 0; run < repeat; run += 1) {
        // Fresh identical copies for each side, so both start from the same on-disk state.
        await withClient(server.url(), async (client) => {
          await client.query("checkpoint");
          await client.query("drop database if exists bench_floor");
          await client.query("drop database if exists bench_mask");
          await client.query("create database bench_floor template bench_source");
          await client.query("create database bench_mask template bench_source");
        });
        floorTimes.push(
          await timed(() =>
            withClient(server.url("bench_floor"), async (client) => {
              await client.query(
                "update people set email = md5(email), full_name = md5(full_name), phone = md5(phone)",
              );
            }),
          ),
        );
        let masked = 0;
        maskTimes.push(
          await timed(async () => {
            const report = await maskDatabase({
              databaseUrl: server.url("bench_mask"),
              rules: RULES,
              key: "benchmark-key-0123456789abcdef",
              batchSize,
            });
            masked = report.rows;
            path = report.tables.every((table) => table.onePass) ? "one-pass rewrite" : "batched UPDATEs";
            updateTimes.push(report.tables.reduce((sum, table) => sum + table.durationMs, 0));
          }),
        );
        if (masked !== rows) throw new Error(`masked ${masked} rows, expected ${rows}`);
      }
      const floor = Math.min(...floorTimes);
      const mask = Math.min(...maskTimes);
      const update = Math.min(...updateTimes);
      results.push({ rows, floor, mask });
      console.log(
        `masking benchmark: ${rows.toLocaleString("en")} rows, 3 masked columns (email unique, name, phone), PostgreSQL ${major}, batch ${batchSize}`,
      );
      console.log(
        `  floor   UPDATE … SET col = md5(col) ×3        ${seconds(floor)}  (runs: ${floorTimes.map(seconds).join(", ")})`,
      );
      console.log(
        `  parity  parity mask, full scrub              ${seconds(mask)}  (runs: ${maskTimes.map(seconds).join(", ")})`,
      );
      console.log(
        `          of which masking (${path})  ${seconds(update)}; scrub and checks ${seconds(mask - update)}`,
      );
      console.log(
        `  ratio   ${(mask / floor).toFixed(2)}×  (target ≤ ${TARGET_RATIO}×: ${mask / floor <= TARGET_RATIO ? "met" : "MISSED"})`,
      );
    }
    let failed = results.some((result) => result.mask / result.floor > TARGET_RATIO);
    const first = results[0];
    const last = results.at(-1);
    if (first && last && last !== first) {
      const growth = last.mask / last.rows / (first.mask / first.rows);
      console.log(
        `  growth  ${((first.mask / first.rows) * 1e3).toFixed(2)} → ${((last.mask / last.rows) * 1e3).toFixed(2)} µs/row from ${first.rows.toLocaleString("en")} to ${last.rows.toLocaleString("en")} rows: ${growth.toFixed(2)}× per row (target ≤ ${LINEARITY}×: ${growth <= LINEARITY ? "met" : "MISSED"})`,
      );
      failed ||= growth > LINEARITY;
    }
    if (failed) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

await main();
