// The words every finding uses for a table's numbers and a statement's lock, so they read alike.
import { formatBytes, formatCount, formatDuration } from "./estimate.ts";
import { rowsOf, type TableFacts } from "./facts.ts";
import { describeLock, type LockMode } from "./locks.ts";

/** `public.orders (1,000,000 rows, 65 MB; 88 MB with indexes)`. */
export function describeTable(table: TableFacts): string {
  const { rows, basis } = rowsOf(table);
  const count =
    basis === "size"
      ? `~${formatCount(rows)} rows guessed from its size, never analyzed`
      : `${formatCount(rows)} rows`;
  return `${table.name} (${count}, ${formatBytes(table.heapBytes)}; ${formatBytes(table.totalBytes)} with indexes)`;
}

/** `a SHARE lock (blocks every INSERT, UPDATE and DELETE; reads go on) for ~829 ms (estimated)`. */
export function describeHold(mode: LockMode, seconds: number): string {
  return `${describeLock(mode)} for ~${formatDuration(seconds)} (estimated)`;
}
