// Columns that hold copies of masked originals. A column filled from a masked one by a trigger or by
// the application (`search_text = lower(full_name)`, `display = email || ' <' || phone || '>'`, a jsonb
// `contact` carrying the email) keeps every original after masking unless it has a rule of its own.
// PostgreSQL recomputes generated columns and parity fires tsvector triggers (plan.ts); any other
// derivation cannot be read from the catalog (a trigger's body is code), so it is found by its data:
// in a sample of each masked table, an unruled text, JSON or array column that contains a masked text
// column's original value (case-insensitively) in at least half of the rows where both are set, for
// at least 10 different originals (or all of them, at least 2, in a smaller sample).
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
/** Longer originals are compared by their first characters. */
const MAX_ORIGINAL_LENGTH = 256;
/** A copy when the original is inside the column in at least this share of the rows where both are set… */
const COPY_SHARE = 0.5;
/** …and at least this many different originals are (or every one, in a smaller sample; never fewer than 2). */
const MIN_DISTINCT_FOUND = 10;
const PAIRS_PER_QUERY = 400;

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
    const copies = [...catalog.columns.values()].filter(
      (column) =>
        column.schema === table.schema &&
        column.table === table.table &&
        !column.generated &&
        !ruled.has(columnKey(column.schema, column.table, column.column)) &&
        !table.columns.some((entry) => entry.column === column.column) &&
        column.baseType !== "tsvector" &&
        (column.category === "S" ||
          column.category === "A" ||
          ["json", "jsonb", "xml"].includes(column.baseType)),
    );
    // Originals are text (a boolean's 'true' is in every JSON document, a bytea's hex is megabytes).
    const originals = table.columns.filter((column) => column.category === "S");
    if (originals.length === 0 || copies.length === 0) continue;
    // collate "default": a nondeterministic (case-insensitive ICU) collation refuses strpos().
    const inner = [
      ...originals.map(
        (column, i) =>
          `left(lower(${quoteIdent(column.column)}::text collate "default"), ${MAX_ORIGINAL_LENGTH}) as o${i}`,
      ),
      ...copies.map((column, j) => `lower(${quoteIdent(column.column)}::text collate "default") as c${j}`),
    ];
    const outer = [
      ...originals.map((_, i) => `case when length(o${i}) >= ${MIN_ORIGINAL_LENGTH} then o${i} end as o${i}`),
      ...copies.map((_, j) => `case when length(c${j}) >= ${MIN_ORIGINAL_LENGTH} then c${j} end as c${j}`),
    ];
    const pairs = originals.flatMap((original, i) => copies.map((copy, j) => ({ original, copy, i, j })));
    const relation = `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`;
    const flagged: Array<{ copy: string; original: string; hits: number; both: number }> = [];
    // Four result columns per pair, and PostgreSQL returns at most 1664: wide tables take several queries.
    for (let from = 0; from < pairs.length; from += PAIRS_PER_QUERY) {
      const chunk = pairs.slice(from, from + PAIRS_PER_QUERY);
      const counts = chunk.flatMap(({ i, j }) => [
        `count(*) filter (where o${i} is not null and c${j} is not null) as both_${i}_${j}`,
        `count(*) filter (where strpos(c${j}, o${i}) > 0) as hits_${i}_${j}`,
        `count(distinct o${i}) filter (where c${j} is not null) as values_${i}_${j}`,
        `count(distinct o${i}) filter (where strpos(c${j}, o${i}) > 0) as found_${i}_${j}`,
      ]);
      const { rows } = await client.query<Record<string, string>>(
        `select ${counts.join(", ")}
           from (select ${outer.join(", ")}
                   from (select ${inner.join(", ")} from ${relation} limit ${COPY_SAMPLE_ROWS}) sample) sample`,
      );
      const found = rows[0] ?? {};
      for (const { original, copy, i, j } of chunk) {
        const number = (name: string) => Number(found[`${name}_${i}_${j}`] ?? 0);
        const [both, hits, values, distinct] = [
          number("both"),
          number("hits"),
          number("values"),
          number("found"),
        ];
        // A copy holds many different originals: one placeholder ('unknown') shared by both is not one.
        if (
          hits > 0 &&
          hits >= COPY_SHARE * both &&
          distinct >= Math.max(2, Math.min(MIN_DISTINCT_FOUND, values))
        ) {
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
