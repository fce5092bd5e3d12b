// What the data check reads by opening relations, in lock-bounded batches. Opening a relation
// takes a lock on it (a sequence for pg_sequence_last_value(), a table and every index of it for
// a min()/max() the planner plans, a table for pg_relation_size()), and locks are held until the
// transaction ends. One transaction over 10,000 tables holds ~11,000 of them, more than a
// default server's shared lock table has room for (max_locks_per_transaction=64 per
// connection): it fails with "out of shared memory", and so does any other session that needs
// a lock meanwhile. Here each batch is one autocommit statement, so its locks end with it, and a
// batch takes at most LOCK_BUDGET of them. No batch needs the others' snapshot: each fact is
// about one relation.
import { quoteIdent } from "../../../core/sql.ts";

/** Relation locks one batch statement may hold: well inside a default server's 64 per connection. */
export const LOCK_BUDGET = 32;

export type RunQuery = <Row>(sql: string, values?: unknown[]) => Promise<Row[]>;

/** Splits items into batches whose lock cost stays within the budget (an item above it goes alone). */
export function lockBatches<T>(
  items: readonly T[],
  locksOf: (item: T) => number,
  budget = LOCK_BUDGET,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let held = 0;
  for (const item of items) {
    const cost = Math.max(1, locksOf(item));
    if (current.length > 0 && held + cost > budget) {
      batches.push(current);
      current = [];
      held = 0;
    }
    current.push(item);
    held += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** pg_sequence_last_value() per sequence: null for one not called since creation or RESTART. */
export async function readLastValues(
  query: RunQuery,
  sequences: readonly number[],
): Promise<Map<number, string | null>> {
  const values = new Map<number, string | null>();
  for (const batch of lockBatches(sequences, () => 1)) {
    const rows = await query<{ oid: string; last: string | null }>(
      "select o::int8::text as oid, pg_sequence_last_value(o)::text as last from unnest($1::oid[]) o",
      [batch],
    );
    for (const row of rows) values.set(Number(row.oid), row.last);
  }
  return values;
}

/** The next value of sequences not called yet, which only their own row tells (pg_sequences hides it). */
export async function readUncalledNext(
  query: RunQuery,
  sequences: ReadonlyArray<{ oid: number; sequenceSchema: string; sequenceName: string; increment: string }>,
): Promise<Map<number, string>> {
  const next = new Map<number, string>();
  for (const batch of lockBatches(sequences, () => 1)) {
    const union = batch
      .map(
        (row, i) =>
          `select ${i} as i, case when is_called then last_value + ${BigInt(row.increment)} else last_value end::text as next from ${quoteIdent(row.sequenceSchema)}.${quoteIdent(row.sequenceName)}`,
      )
      .join(" union all ");
    for (const row of await query<{ i: number; next: string }>(union)) {
      const sequence = batch[row.i];
      if (sequence) next.set(sequence.oid, row.next);
    }
  }
  return next;
}

/** min()/max() of indexed columns: two index probes each, planned with every index of the table locked. */
export async function readLiveRanges(
  query: RunQuery,
  columns: ReadonlyArray<{ key: string; schema: string; table: string; column: string; indexes: number }>,
): Promise<Map<string, { min: string | null; max: string | null }>> {
  const ranges = new Map<string, { min: string | null; max: string | null }>();
  for (const batch of lockBatches(columns, (column) => 1 + column.indexes)) {
    const union = batch
      .map(
        (row, i) =>
          `select ${i} as i, min(${quoteIdent(row.column)})::text as min, max(${quoteIdent(row.column)})::text as max from ${quoteIdent(row.schema)}.${quoteIdent(row.table)}`,
      )
      .join(" union all ");
    for (const row of await query<{ i: number; min: string | null; max: string | null }>(union)) {
      const column = batch[row.i];
      if (column) ranges.set(column.key, { min: row.min, max: row.max });
    }
  }
  return ranges;
}

/** pg_relation_size() per table. */
export async function readRelationSizes(
  query: RunQuery,
  tables: readonly number[],
): Promise<Map<number, string>> {
  const sizes = new Map<number, string>();
  for (const batch of lockBatches(tables, () => 1)) {
    const rows = await query<{ oid: string; bytes: string }>(
      "select o::int8::text as oid, pg_relation_size(o)::text as bytes from unnest($1::oid[]) o",
      [batch],
    );
    for (const row of rows) sizes.set(Number(row.oid), row.bytes);
  }
  return sizes;
}
