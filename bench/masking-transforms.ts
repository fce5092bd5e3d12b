// Where masking's time goes, per transformer: the cost of computing each masked value alone
// (`SELECT count(<masked expression>)` over N rows, as the one-pass rewrite computes it, pads folded),
// against md5 of the same column in the same run, and the plain scan. Each expression is timed R
// times, interleaved, and the fastest run is kept (the build machine is shared: compare ratios, not
// times). What the full mask costs on top (the rewrite, the index builds, the scrub) is masking-bench.ts.
//
//   npm run bench -- masking-transforms [--rows 200000] [--repeat 3] [--major 13|15]
import { parseArgs } from "node:util";
import { withClient } from "../audit/core/pg-client.ts";
import { createMaskingFunctions } from "../audit/masking/functions.ts";
import { hmacPads } from "../audit/masking/hmac-key.ts";
import { maskedValueSql, PAD_SETTINGS } from "../audit/masking/transforms.ts";
import type { ColumnRule, PlannedColumn } from "../audit/masking/types.ts";
import { startEmbeddedPostgres } from "../test/support/embedded-postgres.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "200000" },
    repeat: { type: "string", default: "3" },
    major: { type: "string", default: "15" },
  },
});
const rows = Number(values.rows);
const repeat = Number(values.repeat);
const major = values.major === "13" ? 13 : 15;

const SETUP_SQL = `
  create table people as
    select i as id, 'person' || i || '@corp.example' as email, 'Person Number ' || i as full_name,
           i || ' Main Street, Springfield' as street, '+44 20 7946 ' || lpad(i::text, 7, '0') as phone,
           lpad((i % 1000)::text, 3, '0') || '-' || lpad((i % 100)::text, 2, '0') || '-' || lpad((i % 10000)::text, 4, '0') as ssn,
           '4111 1111 ' || lpad((i % 10000)::text, 4, '0') || ' ' || lpad((i / 10000)::text, 4, '0') as card,
           'DE89 3704 0044 0532 ' || lpad((i % 10000)::text, 4, '0') || ' 00' as iban,
           ('10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256))::inet as ip,
           date '1950-01-01' + i % 20000 as born
      from generate_series(1, $1::int) i`;

type Case = {
  label: string;
  column: string;
  type: string;
  baseType: string;
  category: string;
  rule: ColumnRule;
};
const text = (label: string, column: string, rule: ColumnRule): Case => ({
  label,
  column,
  type: "text",
  baseType: "text",
  category: "S",
  rule,
});
const CASES: Case[] = [
  text("email", "email", { transform: "email" }),
  text("name", "full_name", { transform: "name" }),
  text("address", "street", { transform: "address" }),
  text("redact", "full_name", { transform: "redact" }),
  text("phone", "phone", { transform: "phone" }),
  text("ssn", "ssn", { transform: "ssn" }),
  text("card", "card", { transform: "card" }),
  text("iban", "iban", { transform: "iban" }),
  { label: "ip", column: "ip", type: "inet", baseType: "inet", category: "I", rule: { transform: "ip" } },
  {
    label: "keep-year",
    column: "born",
    type: "date",
    baseType: "date",
    category: "D",
    rule: { transform: "keep-year" },
  },
  {
    label: "date-shift",
    column: "born",
    type: "date",
    baseType: "date",
    category: "D",
    rule: { transform: "date-shift", days: 30 },
  },
];

function planned(entry: Case): PlannedColumn {
  return {
    column: entry.column,
    type: entry.type,
    baseType: entry.baseType,
    category: entry.category,
    maxLength: null,
    unique: false,
    rule: entry.rule,
  };
}

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ major });
  try {
    await withClient(server.url(), async (client) => {
      await client.query(SETUP_SQL, [rows]);
      await client.query("vacuum analyze people");
      await client.query("begin");
      const pads = hmacPads("benchmark-key-0123456789abcdef");
      await client.query("select set_config($1, $2, true), set_config($3, $4, true)", [
        PAD_SETTINGS.inner,
        pads.inner.toString("hex"),
        PAD_SETTINGS.outer,
        pads.outer.toString("hex"),
      ]);
      await createMaskingFunctions(client);
      const expressions: Array<[string, string]> = [
        ["scan (count(*))", "1"],
        ["md5(email)", "md5(email)"],
        ...CASES.map((entry): [string, string] => [entry.label, maskedValueSql(planned(entry), "constant")]),
      ];
      const best = new Map<string, number>();
      for (let run = 0; run < repeat; run += 1) {
        for (const [label, sql] of expressions) {
          const started = performance.now();
          await client.query(`select count(${sql}) from people`);
          const ms = performance.now() - started;
          best.set(label, Math.min(best.get(label) ?? Number.POSITIVE_INFINITY, ms));
        }
      }
      await client.query("rollback");
      const md5 = best.get("md5(email)") ?? 1;
      console.log(
        `masking transforms: ${rows.toLocaleString("en")} rows, PostgreSQL ${major}, fastest of ${repeat} (µs per value, and × md5 of the same run)`,
      );
      for (const [label, ms] of best) {
        console.log(
          `  ${label.padEnd(16)} ${((ms * 1000) / rows).toFixed(2).padStart(6)} µs  ${(ms / md5).toFixed(1).padStart(5)}× md5`,
        );
      }
    });
  } finally {
    await server.stop();
  }
}

await main();
