// Columns that hold copies of masked originals. A column filled from a masked one by a trigger or by
// the application (`search_text = lower(full_name)`, `display = email || ' <' || phone || '>'`, a jsonb
// `contact` carrying the email) keeps every original after masking unless it has a rule of its own.
// PostgreSQL recomputes generated columns and parity fires tsvector triggers (plan.ts); any other
// derivation cannot be read from the catalog (a trigger's body is code), so it is found by its data:
// in a sample of each masked table, an unruled text, JSON or array column that contains the masked
// column's original value (case-insensitively) in at least half of the rows where both are set.
// Refused before anything is written, naming both columns and the triggers that may fill the copy.
import type pg from "pg";
import { quoteIdent } from "../core/sql.ts";
import { columnKey, type MaskingCatalog } from "./catalog.ts";
import type { MaskingPlan } from "./plan.ts";
import type { MaskingRules } from "./types.ts";

/** Rows read per table: a derived copy is in nearly every row, so the first pages are enough. */
export const COPY_SAMPLE_ROWS = 10_000;
/** Originals shorter than this are left out (a one-digit phone is inside every number). */
const MIN_ORIGINAL_LENGTH = 4;
/** A copy when the original is inside the column in at least this share of the rows where both are set. */
const COPY_SHARE = 0.5;

/** The problems found, one per (copy, masked column); empty when no unruled column copies a masked one. */
export async function findCopiedOriginals(
  client: pg.ClientBase,
  plan: MaskingPlan,
  catalog: MaskingCatalog,
  rules: MaskingRules,
): Promise<string[]> {
  const ruled = new Set(
    rules.tables.flatMap((table) =>
      Object.keys(table.columns).map((column) => columnKey(table.schema, table.table, column)),
    ),
  );
  const problems: string[] = [];
  for (const table of plan.tables) {
    const masked = table.columns;
    const copies = [...catalog.columns.values()].filter(
      (column) =>
        column.schema === table.schema &&
        column.table === table.table &&
        !column.generated &&
        !ruled.has(columnKey(column.schema, column.table, column.column)) &&
        !masked.some((entry) => entry.column === column.column) &&
        column.baseType !== "tsvector" &&
        (column.category === "S" ||
          column.category === "A" ||
          ["json", "jsonb", "xml"].includes(column.baseType)),
    );
    if (masked.length === 0 || copies.length === 0) continue;
    const originals = masked.map((column, i) => `lower(${quoteIdent(column.column)}::text) as o${i}`);
    const candidates = copies.map((column, j) => `lower(${quoteIdent(column.column)}::text) as c${j}`);
    const counts = masked.flatMap((_, i) =>
      copies.flatMap((_, j) => [
        `count(*) filter (where length(o${i}) >= ${MIN_ORIGINAL_LENGTH} and c${j} is not null) as both_${i}_${j}`,
        `count(*) filter (where length(o${i}) >= ${MIN_ORIGINAL_LENGTH} and strpos(c${j}, o${i}) > 0) as hits_${i}_${j}`,
      ]),
    );
    const relation = `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`;
    const { rows } = await client.query<Record<string, string>>(
      `select ${counts.join(", ")}
         from (select ${[...originals, ...candidates].join(", ")} from ${relation} limit ${COPY_SAMPLE_ROWS}) sample`,
    );
    const found = rows[0] ?? {};
    const flagged: Array<{ copy: string; original: string; hits: number; both: number }> = [];
    for (const [i, original] of masked.entries()) {
      for (const [j, copy] of copies.entries()) {
        const both = Number(found[`both_${i}_${j}`] ?? 0);
        const hits = Number(found[`hits_${i}_${j}`] ?? 0);
        if (hits > 0 && hits >= COPY_SHARE * both) {
          flagged.push({ copy: copy.column, original: original.column, hits, both });
        }
      }
    }
    if (flagged.length === 0) continue;
    const triggers = await client.query<{ name: string }>(
      `select tgname as name from pg_trigger where tgrelid = $1::regclass and not tgisinternal order by 1`,
      [relation],
    );
    const fedBy =
      triggers.rows.length > 0
        ? `; triggers on the table that may fill it: ${triggers.rows.map((row) => row.name).join(", ")}`
        : "";
    for (const { copy, original, hits, both } of flagged) {
      problems.push(
        `${rules.file}: tables.${table.schema}.${table.table}.${copy}: holds the original values of masked column ${original} (in ${hits} of ${both} sampled rows${fedBy}), and masking would leave them there: give ${copy} a rule of its own (null, redact, or the same transformer), or mark it safe if the copy is not personal data`,
      );
    }
  }
  return problems;
}
