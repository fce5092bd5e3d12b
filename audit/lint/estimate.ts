// How long a statement holds its lock on the target, from the target's sizes and the calibrated
// throughput (settings.ts). A linear model, in the terms PostgreSQL does the work:
//   index build  = heap scan (heap MB / scan MB/s) + sort and write (rows × key columns / keys/s)
//   validation   = heap scan; a foreign key scans both tables and checks each referencing row
//   rewrite      = heap rewritten (heap MB / rewrite MB/s) + every index rebuilt
// Measured against real statements on the development machine (bench/lint-bench.ts) it lands within
// 2× (test/lint/seed.test.ts holds the seed-003 index build to 3×); CPU load, cold caches and wide
// keys move it, which is why the throughput is configurable.
import { rowsOf, type TableFacts } from "./facts.ts";
import type { Throughput } from "./settings.ts";

const MB = 1024 * 1024;

export function scanSeconds(table: TableFacts, throughput: Throughput): number {
  return table.heapBytes / MB / throughput.scanMegabytesPerSecond;
}

export function indexBuildSeconds(table: TableFacts, keyColumns: number, throughput: Throughput): number {
  const keys = rowsOf(table).rows * Math.max(1, keyColumns);
  return scanSeconds(table, throughput) + keys / throughput.indexKeysPerSecond;
}

/** The server's validation query (RI_Initial_Check): an anti-join of the two tables. */
export function foreignKeyValidationSeconds(
  referencing: TableFacts,
  referenced: TableFacts | undefined,
  throughput: Throughput,
): number {
  const both = scanSeconds(referencing, throughput) + (referenced ? scanSeconds(referenced, throughput) : 0);
  return both + rowsOf(referencing).rows / throughput.foreignKeyRowsPerSecond;
}

export function rewriteSeconds(table: TableFacts, throughput: Throughput): number {
  const heap = table.heapBytes / MB / throughput.rewriteMegabytesPerSecond;
  const indexes = table.indexes.reduce(
    (sum, index) => sum + indexBuildSeconds(table, index.keyColumns, throughput),
    0,
  );
  return heap + indexes;
}

/** `0.8 s`, `12 min`, `1.5 h`: what a reviewer compares with a maintenance window. */
export function formatDuration(seconds: number): string {
  if (seconds < 0.001) return "under 1 ms";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** `68 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${Math.round(bytes / 1024)} kB`;
  if (bytes < 1024 * MB) return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
  return `${(bytes / 1024 / MB).toFixed(1)} GB`;
}

/** `1,800,000` (fixed grouping, whatever the machine's locale). */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
