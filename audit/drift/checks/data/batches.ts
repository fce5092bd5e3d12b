// What the data check reads by opening relations, in lock-bounded batches. Opening a relation
// takes a lock on it (a sequence for pg_sequence_last_value(), a table and every index of it for
// a min()/max() the planner plans, a table for pg_relation_size()), and locks are held until the
// transaction ends. One transaction over 10,000 tables holds ~11,000 of them, more than a
// default server's shared lock table has room for (max_locks_per_transaction=64 per
// connection): it fails with "out of shared memory", and so does any other session that needs
// a lock meanwhile. Here each batch is a transaction of its own that takes at most LOCK_BUDGET
// of them. No batch needs the others' snapshot: each fact is about one relation.
//
// All the batches of one read go to the server in one simple-query message,
// `begin; select …; commit; begin; select …; commit; …`: the server runs each begin…commit as
// its own transaction (releasing its locks at its commit) and answers them all in one round
// trip. Sent one by one, each batch waits for the client and the server to be scheduled again,
// which on a busy machine costs more than the batch itself (63 round trips at 2,000 sequences
// took 1.4 s under load against 0.3 s for one).
import { quoteIdent } from "../../../core/sql.ts";

/** Relation locks one batch statement may hold: well inside a default server's 64 per connection. */
export const LOCK_BUDGET = 32;

/** Runs batch statements, each in a transaction of its own, in one round trip; rows per statement. */
export type RunBatches = <Row>(statements: readonly string[]) => Promise<Row[][]>;

/** The simple-query text for `statements`, each wrapped in its own transaction. */
export function batchScript(statements: readonly string[]): string {
  return statements.map((statement) => `begin; ${statement}; commit;`).join("\n");
}

const oidArray = (oids: readonly number[]) => `'{${oids.map((oid) => Math.trunc(oid)).join(",")}}'::oid[]`;

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

/**
 * The next value of each sequence that was called, from pg_sequence_last_value() plus its
 * increment (added on the server, in numeric: no overflow at the bound); null for one not called
 * since creation or RESTART. Each batch answers one row of `[oid, next]` pairs as json (parsed
 * at once, rather than node-postgres parsing 2,000 rows field by field in JavaScript), the
 * values as text, as bigints may pass 2^53.
 */
export async function readCalledNext(
  run: RunBatches,
  sequences: ReadonlyArray<{ oid: number; increment: string }>,
): Promise<Map<number, string | null>> {
  const values = new Map<number, string | null>();
  // The increments go with the oids: no catalog is joined, so a batch locks its sequences only.
  const statements = lockBatches(sequences, () => 1).map(
    (batch) =>
      `select json_agg(json_build_array(o::int8, (pg_sequence_last_value(o)::numeric + i)::text)) as pairs from unnest(${oidArray(batch.map((sequence) => sequence.oid))}, '{${batch.map((sequence) => BigInt(sequence.increment)).join(",")}}'::int8[]) u(o, i)`,
  );
  for (const rows of await run<{ pairs: Array<[number, string | null]> | null }>(statements)) {
    for (const [oid, next] of rows[0]?.pairs ?? []) values.set(oid, next);
  }
  return values;
}

/** The next value of sequences not called yet, which only their own row tells (pg_sequences hides it). */
export async function readUncalledNext(
  run: RunBatches,
  sequences: ReadonlyArray<{ oid: number; sequenceSchema: string; sequenceName: string; increment: string }>,
): Promise<Map<number, string>> {
  const next = new Map<number, string>();
  const batches = lockBatches(sequences, () => 1);
  const statements = batches.map((batch) =>
    batch
      .map(
        (row, i) =>
          `select ${i} as i, case when is_called then last_value + ${BigInt(row.increment)} else last_value end::text as next from ${quoteIdent(row.sequenceSchema)}.${quoteIdent(row.sequenceName)}`,
      )
      .join(" union all "),
  );
  (await run<{ i: number; next: string }>(statements)).forEach((rows, b) => {
    for (const row of rows) {
      const sequence = batches[b]?.[row.i];
      if (sequence) next.set(sequence.oid, row.next);
    }
  });
  return next;
}

/** min()/max() of indexed columns: two index probes each, planned with every index of the table locked. */
export async function readLiveRanges(
  run: RunBatches,
  columns: ReadonlyArray<{ key: string; schema: string; table: string; column: string; indexes: number }>,
): Promise<Map<string, { min: string | null; max: string | null }>> {
  const ranges = new Map<string, { min: string | null; max: string | null }>();
  const batches = lockBatches(columns, (column) => 1 + column.indexes);
  const statements = batches.map((batch) =>
    batch
      .map(
        (row, i) =>
          `select ${i} as i, min(${quoteIdent(row.column)})::text as min, max(${quoteIdent(row.column)})::text as max from ${quoteIdent(row.schema)}.${quoteIdent(row.table)}`,
      )
      .join(" union all "),
  );
  (await run<{ i: number; min: string | null; max: string | null }>(statements)).forEach((rows, b) => {
    for (const row of rows) {
      const column = batches[b]?.[row.i];
      if (column) ranges.set(column.key, { min: row.min, max: row.max });
    }
  });
  return ranges;
}

/** pg_relation_size() per table. */
export async function readRelationSizes(
  run: RunBatches,
  tables: readonly number[],
): Promise<Map<number, string>> {
  const sizes = new Map<number, string>();
  const statements = lockBatches(tables, () => 1).map(
    (batch) =>
      `select o::int8::text as oid, pg_relation_size(o)::text as bytes from unnest(${oidArray(batch)}) o`,
  );
  for (const rows of await run<{ oid: string; bytes: string }>(statements)) {
    for (const row of rows) sizes.set(Number(row.oid), row.bytes);
  }
  return sizes;
}
