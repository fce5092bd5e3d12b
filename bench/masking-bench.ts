// Masking throughput against the floor: one million rows, three masked columns (email, person name,
// phone), on an embedded PostgreSQL 15 (or 13). The floor is a plain
// `UPDATE … SET col = md5(col)` of the same three columns on an identical copy, in the same run.
// Target: parity ≤ 3× the floor.
//
//   npx tsx bench/masking-bench.ts [--rows N] [--batch-size N] [--repeat N] [--unique-email] [--major 13|15]
import { parseArgs } from "node:util";
import { withClient } from "../audit/core/pg-client.ts";
import { maskDatabase, parseMaskingRules } from "../audit/masking/index.ts";
import { startEmbeddedPostgres } from "../test/support/embedded-postgres.ts";

const TARGET_RATIO = 3;

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    "batch-size": { type: "string", default: "50000" },
    repeat: { type: "string", default: "1" },
    // A unique index on email: realistic, but its maintenance dominates both sides and flatters the ratio.
    "unique-email": { type: "boolean", default: false },
    // 15 batches by heap page ranges; 13 (no TID range scans) by a cursor of ctids.
    major: { type: "string", default: "15" },
  },
});
const rows = Number(values.rows);
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
`;

const RULES = parseMaskingRules(
  "tables:\n  people:\n    email: email\n    full_name: name\n    phone: phone\n",
  "bench/masking-bench.yaml",
);

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ major });
  try {
    await withClient(server.url(), async (client) => {
      await client.query("create database bench_source");
    });
    await withClient(server.url("bench_source"), async (client) => {
      const [create, insert] = SETUP_SQL.split(";\n  insert");
      await client.query(create ?? "");
      await client.query(`insert${insert}`, [rows]);
      if (values["unique-email"]) await client.query("create unique index on people (email)");
      await client.query("vacuum analyze people");
    });

    const floorTimes: number[] = [];
    const maskTimes: number[] = [];
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
            await client.query("begin");
            await client.query(
              "update people set email = md5(email), full_name = md5(full_name), phone = md5(phone)",
            );
            await client.query("commit");
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
        }),
      );
      if (masked !== rows) throw new Error(`masked ${masked} rows, expected ${rows}`);
    }

    const floor = Math.min(...floorTimes);
    const mask = Math.min(...maskTimes);
    const ratio = mask / floor;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
    console.log(
      `masking benchmark: ${rows.toLocaleString("en")} rows, 3 masked columns${values["unique-email"] ? " (email unique)" : ""}, PostgreSQL ${major}, batch ${batchSize}`,
    );
    console.log(
      `  floor  UPDATE … SET col = md5(col) ×3   ${seconds(floor)}   (runs: ${floorTimes.map(seconds).join(", ")})`,
    );
    console.log(
      `  parity maskDatabase (email, name, phone) ${seconds(mask)}   (runs: ${maskTimes.map(seconds).join(", ")})`,
    );
    console.log(
      `  ratio  ${ratio.toFixed(2)}×  (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? "met" : "MISSED"})`,
    );
    if (ratio > TARGET_RATIO) process.exitCode = 1;
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
