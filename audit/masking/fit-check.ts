// Runs the masked expressions over the data without writing it: per column the row count, distinct
// values before and after, and a few masked samples (never an original), plus every way the masked
// values would not fit: CHECK constraints, domains, lengths, collisions in unique columns. Used by
// `parity mask --check` and `--dry-run`, inside a transaction that is rolled back.
import type pg from "pg";
import { quoteIdent } from "../core/sql.ts";
import type { MaskingCatalog } from "./catalog.ts";
import type { MaskingPlan, PlannedTable } from "./plan.ts";
import type { ColumnStats } from "./types.ts";

export type { ColumnStats } from "./types.ts";

import { maskedValueSql } from "./transforms.ts";

export interface FitResult {
  columns: ColumnStats[];
  /** Each reason a masked value would be refused, naming the table, column or constraint. */
  problems: string[];
}

export async function checkFit(
  client: pg.ClientBase,
  plan: MaskingPlan,
  catalog: MaskingCatalog,
  file: string,
): Promise<FitResult> {
  const result: FitResult = { columns: [], problems: [] };
  for (const table of plan.tables) await checkTable(client, table, catalog, file, result);
  return result;
}

async function checkTable(
  client: pg.ClientBase,
  table: PlannedTable,
  catalog: MaskingCatalog,
  file: string,
  result: FitResult,
): Promise<void> {
  const where = `${file}: tables.${table.schema}.${table.table}`;
  const partitioned = table.storage.length !== 1 || table.storage[0]?.table !== table.table;
  const source = `${partitioned ? "" : "only "}${quoteIdent(table.schema)}.${quoteIdent(table.table)}`;
  const masked = new Map(table.columns.map((column, i) => [column.column, { column, i }]));
  const allColumns = [...catalog.columns.values()].filter(
    (column) => column.schema === table.schema && column.table === table.table,
  );
  // Inner query: masked values under the columns' own names (so CHECK expressions read them), the
  // originals under parity_original_N.
  const inner = allColumns
    .map((column) => {
      const entry = masked.get(column.column);
      if (!entry) return quoteIdent(column.column);
      return `${maskedValueSql(entry.column, "init-plan")} as ${quoteIdent(column.column)}, ${quoteIdent(column.column)} as parity_original_${entry.i}`;
    })
    .join(", ");
  const checks = catalog.checks.filter(
    (check) =>
      check.schema === table.schema &&
      check.table === table.table &&
      check.columns.some((column) => masked.has(column)),
  );
  const aggregates = [
    "count(*) as rows",
    ...table.columns.flatMap((column, i) => [
      `count(distinct parity_original_${i}) as before_${i}`,
      `count(distinct ${quoteIdent(column.column)}) as after_${i}`,
    ]),
    ...checks.map((check, k) => `count(*) filter (where (${check.expression}) is false) as check_${k}`),
  ];
  let counts: Record<string, string>;
  try {
    await client.query("savepoint parity_fit");
    const { rows } = await client.query<Record<string, string>>(
      `select ${aggregates.join(", ")} from (select ${inner} from ${source}) masked`,
    );
    counts = rows[0] ?? {};
    const samples = await client.query<Record<string, string | null>>(
      `select ${table.columns.map((column) => `${quoteIdent(column.column)}::text as ${quoteIdent(column.column)}`).join(", ")}
         from (select ${inner} from ${source} limit 3) masked`,
    );
    await client.query("release savepoint parity_fit");
    for (const [i, column] of table.columns.entries()) {
      result.columns.push({
        column: `${table.schema}.${table.table}.${column.column}`,
        transform: column.rule.transform,
        rows: Number(counts.rows),
        distinctBefore: Number(counts[`before_${i}`]),
        distinctAfter: Number(counts[`after_${i}`]),
        samples: samples.rows.map((row) => row[column.column] ?? null),
      });
    }
  } catch (error) {
    await client.query("rollback to savepoint parity_fit");
    result.problems.push(`${where}: a masked value does not fit: ${(error as Error).message}`);
    return;
  }
  for (const [k, check] of checks.entries()) {
    const failing = Number(counts[`check_${k}`]);
    if (failing > 0) {
      result.problems.push(
        `${where}: masked values of ${check.columns.join(", ")} violate CHECK constraint ${check.name} (${check.expression}) in ${failing} row(s); choose a transformer that keeps the format (phone, ssn, digits, card, iban), or relax the constraint`,
      );
    }
  }
  for (const [i, column] of table.columns.entries()) {
    const before = Number(counts[`before_${i}`]);
    const after = Number(counts[`after_${i}`]);
    if (column.unique && after < before) {
      const hint =
        column.rule.transform === "email"
          ? " (the email transformer is case-insensitive; if the column holds case variants of one address, use email-case-sensitive)"
          : "";
      result.problems.push(
        `${where}.${column.column}: is unique, but its ${before} distinct values would become ${after} distinct masked values${hint}`,
      );
    }
  }
}
