// Reads the data check's facts in two steps. `readDataSnapshot` (each environment, concurrently)
// reads the catalog facts in one short read-only transaction that locks no user relation
// (catalog.ts) and keeps the connection. `finishDataReads`, with every environment's catalog in
// hand, opens only the relations whose state can change a finding (plan.ts), in lock-bounded
// autocommit batches (batches.ts), then closes the connections.
import { isAbsolute, resolve } from "node:path";
import type pg from "pg";
import type { DatabaseSpec, ReadContext } from "../../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../../core/errors.ts";
import { failureOf, newClient } from "../../../core/pg-client.ts";
import { columnKey, tableKey } from "../../../masking/catalog.ts";
import { leftoversBuilding } from "../../../masking/leftovers.ts";
import { loadMaskingRules } from "../../../masking/rules-file.ts";
import { MIN_BASELINE_ROWS } from "../../rules/data/volume.ts";
import {
  batchScript,
  readCalledNext,
  readLiveRanges,
  readRelationSizes,
  readUncalledNext,
} from "./batches.ts";
import {
  type CatalogSequence,
  type CatalogTable,
  type DataCatalog,
  knownEmpty,
  readDataCatalog,
} from "./catalog.ts";
import { tableFilter } from "./filter.ts";
import { liveNeeds, type Position, pairsToPosition } from "./plan.ts";
import type {
  DataCloneLeftover,
  DataRead,
  DataSequence,
  DataSnapshot,
  DataTableVolume,
  MaskingCoverageInput,
} from "./types.ts";

export const DEFAULT_MIN_ROW_RATIO = 0.1;

/** A relation lock the audit waits for longer than this fails its read instead of queueing on. */
export const LOCK_TIMEOUT_MS = 5_000;

export interface ReadOptions {
  /**
   * Read for the baseline of a joint read: only what the rules take from a baseline (sequences,
   * row estimates). Its columns, foreign keys, masking input and clone leftovers are left out:
   * every rule reads those of the target (the snapshot says so in `baselineOnly`).
   */
  baselineOnly?: boolean;
}

export async function readDataSnapshot(
  spec: DatabaseSpec,
  context: ReadContext,
  { baselineOnly = false }: ReadOptions = {},
): Promise<DataRead> {
  const minRowRatio = spec.minRowRatio ?? DEFAULT_MIN_ROW_RATIO;
  // 0 switches the data/volume warning off for this environment.
  if (!(minRowRatio >= 0 && minRowRatio <= 1)) {
    throw new ParityInputError(
      `${context.environment}: minRowRatio must be a number between 0 and 1, got ${minRowRatio}`,
    );
  }
  // Load the rules before connecting: a broken rules file is bad input (exit 2), reported as such.
  const rules = spec.maskingRules
    ? await loadMaskingRules(
        isAbsolute(spec.maskingRules) ? spec.maskingRules : resolve(context.configDir, spec.maskingRules),
      )
    : undefined;
  const inScope = tableFilter(spec);

  // Read-only, named in pg_stat_activity, and unable to run away or queue behind a lock for long
  // on a busy production server.
  const client = newClient({
    connectionString: spec.url,
    application_name: "parity",
    statement_timeout: 120_000,
    lock_timeout: LOCK_TIMEOUT_MS,
    options: "-c default_transaction_read_only=on",
  });
  const failed = (error: unknown): never => {
    const cause = failureOf(client, error);
    throw new EnvironmentReadError(context.environment, "database (data check)", cause.message, { cause });
  };
  const onAbort = () => void client.end().catch(() => undefined);
  context.signal?.addEventListener("abort", onAbort, { once: true });
  let catalog: DataCatalog;
  let cloneLeftovers: DataCloneLeftover[];
  try {
    await client.connect();
    catalog = await readDataCatalog(client, {
      columns: !baselineOnly,
      foreignKeys: !baselineOnly && rules !== undefined,
    });
    // Named from the catalog read: one round trip here, none when reading for a baseline.
    cloneLeftovers = baselineOnly ? [] : await leftoversBuilding(client, catalog.database);
  } catch (error) {
    context.signal?.removeEventListener("abort", onAbort);
    await client.end().catch(() => undefined);
    return failed(error);
  }

  const snapshot: DataSnapshot = {
    environment: context.environment,
    columns: snapshotColumns(catalog, inScope),
    foreignKeyPairs: catalog.foreignKeyPairs,
    masking: rules && !baselineOnly ? coverageInput(rules, catalog) : null,
    sequences: [],
    volumes: catalog.tables
      .filter((table) => table.kind === "r" && inScope(table.schema, table.table))
      .map((table) => ({ table: tableKey(table.schema, table.table), ...estimate(volumeRow(table)) })),
    minRowRatio,
    ...(baselineOnly ? { baselineOnly: true } : { cloneLeftovers }),
  };
  return {
    environment: context.environment,
    snapshot,
    catalog,
    inScope,
    async batches<Row>(statements: readonly string[]) {
      if (statements.length === 0) return [];
      try {
        // One simple-query message; pg answers with a result per statement (begin, select, commit).
        const results = (await client.query(batchScript(statements))) as unknown as pg.QueryResult[];
        const all = Array.isArray(results) ? results : [results];
        return statements.map((_, i) => (all[i * 3 + 1]?.rows ?? []) as Row[]);
      } catch (error) {
        return failed(error);
      }
    },
    async close() {
      context.signal?.removeEventListener("abort", onAbort);
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Columns of ordinary and partitioned tables (not of partitions) and materialized views in scope.
 * Plain loops: 22,000 objects at 2,000 tables, built once in a fresh process.
 */
function snapshotColumns(
  catalog: DataCatalog,
  inScope: (schema: string, table: string) => boolean,
): DataSnapshot["columns"] {
  const columns: DataSnapshot["columns"] = [];
  for (const { schema, table, kind, partition, columns: names, types, generated } of catalog.tables) {
    if ((kind === "r" && partition) || !inScope(schema, table)) continue;
    const isGenerated = generated.length > 0 ? new Set(generated) : undefined;
    for (let i = 0; i < names.length; i += 1) {
      const column = names[i] as string;
      // Generated columns are recomputed from the masked ones: masking-coverage exempts them.
      if (isGenerated?.has(column))
        columns.push({ schema, table, column, type: types[i] ?? "", generated: true });
      else columns.push({ schema, table, column, type: types[i] ?? "" });
    }
  }
  for (const { schema, name, columns: names, types, reads } of catalog.matviews) {
    if (!inScope(schema, name)) continue;
    names.forEach((column, i) => {
      columns.push({ schema, table: name, column, type: types[i] ?? "", viewReads: reads });
    });
  }
  return columns;
}

interface FinishContext {
  baseline: string;
  signal?: AbortSignal;
}

/**
 * Turns every environment's catalog read into its snapshot, reading what the rules need across
 * environments (see plan.ts), and closes every connection whatever happens.
 */
export async function finishDataReads(
  reads: ReadonlyMap<string, DataRead>,
  { baseline, signal }: FinishContext,
): Promise<Map<string, DataSnapshot | Error>> {
  const onAbort = () => {
    for (const read of reads.values()) void read.close();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const results = new Map<string, DataSnapshot | Error>();
  try {
    const base = reads.get(baseline);
    const targets = [...reads.values()].filter((read) => read !== base);
    if (!base) {
      for (const read of reads.values()) results.set(read.environment, read.snapshot);
      return results;
    }
    const outcome = await Promise.allSettled([completeBaseline(base, targets)]);
    const failure = outcome[0].status === "rejected" ? (outcome[0].reason as Error) : undefined;
    if (failure) {
      // Which side failed is in the error's environment; the others cannot be compared either way.
      for (const read of reads.values()) results.set(read.environment, failure);
      return results;
    }
    for (const read of reads.values()) results.set(read.environment, read.snapshot);
    return results;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await Promise.all([...reads.values()].map((read) => read.close()));
  }
}

type Needed = { positions: Set<number>; live: Set<number>; sizes: Set<number> };

async function completeBaseline(base: DataRead, targets: readonly DataRead[]): Promise<void> {
  const needed = new Map<DataRead, Needed>(
    [base, ...targets].map((read) => [read, { positions: new Set(), live: new Set(), sizes: new Set() }]),
  );
  const need = (read: DataRead) => needed.get(read) as Needed;
  const pairsByTarget = new Map(
    targets.map((target) => [target, pairsToPosition(base.catalog, target.catalog, target.inScope)]),
  );
  for (const [target, pairs] of pairsByTarget) {
    for (const pair of pairs) {
      need(base).positions.add(pair.baseline.oid);
      need(target).positions.add(pair.target.oid);
    }
  }
  const positions = new Map<DataRead, Map<number, Position>>();
  await Promise.all(
    [...needed].map(async ([read, { positions: oids }]) => {
      positions.set(read, await readPositions(read, oids));
    }),
  );

  // Live ranges, now that both positions of every pair are known.
  const baselineMayHaveRows = rowsMayExist(base.catalog);
  for (const [target, pairs] of pairsByTarget) {
    const targetMayHaveRows = rowsMayExist(target.catalog);
    for (const pair of pairs) {
      const baselinePosition = positions.get(base)?.get(pair.baseline.oid);
      const targetPosition = positions.get(target)?.get(pair.target.oid);
      if (!baselinePosition || !targetPosition) continue;
      const wanted = liveNeeds(
        pair,
        { baseline: baselinePosition, target: targetPosition },
        {
          baseline: baselineMayHaveRows(pair.baseline.tableOid),
          target: targetMayHaveRows(pair.target.tableOid),
        },
      );
      if (wanted.baseline) need(base).live.add(pair.baseline.oid);
      if (wanted.target) need(target).live.add(pair.target.oid);
    }
  }
  // A target table never analyzed has a row estimate only from its size, needed only where the
  // baseline has enough rows for data/volume to compare.
  const baselineRows = new Map(base.snapshot.volumes.map((volume) => [volume.table, volume.rows]));
  for (const target of targets) {
    for (const table of target.catalog.tables) {
      if (table.kind !== "r" || !target.inScope(table.schema, table.table)) continue;
      const rows = baselineRows.get(tableKey(table.schema, table.table));
      if (rows !== null && rows !== undefined && rows >= MIN_BASELINE_ROWS && needsSize(table)) {
        need(target).sizes.add(table.oid);
      }
    }
  }
  await Promise.all(
    [...needed].map(([read, wanted]) => completeRead(read, wanted, positions.get(read) ?? new Map())),
  );
}

async function readPositions(read: DataRead, oids: ReadonlySet<number>): Promise<Map<number, Position>> {
  const sequences = read.catalog.sequences.filter((sequence) => oids.has(sequence.oid));
  const calledNext = await readCalledNext(
    read.batches,
    sequences.filter((sequence) => sequence.positioned),
  );
  const uncalled = sequences.filter(
    (sequence) => sequence.readable && (calledNext.get(sequence.oid) ?? null) === null,
  );
  const uncalledNext = await readUncalledNext(read.batches, uncalled);
  const positions = new Map<number, Position>();
  for (const sequence of sequences) {
    const next = calledNext.get(sequence.oid) ?? null;
    positions.set(
      sequence.oid,
      next !== null
        ? { next, called: true }
        : { next: uncalledNext.get(sequence.oid) ?? null, called: false },
    );
  }
  return positions;
}

async function completeRead(read: DataRead, wanted: Needed, positions: Map<number, Position>): Promise<void> {
  const tables = new Map(read.catalog.tables.map((table) => [table.oid, table]));
  const liveColumns = read.catalog.sequences
    .filter((sequence) => wanted.live.has(sequence.oid))
    .map((sequence) => ({
      key: columnOf(sequence),
      schema: sequence.schema,
      table: sequence.table,
      column: sequence.column,
      indexes: tables.get(sequence.tableOid)?.indexes ?? 1,
    }));
  const [ranges, sizes] = await Promise.all([
    readLiveRanges(read.batches, liveColumns),
    readRelationSizes(read.batches, [...wanted.sizes]),
  ]);
  read.snapshot.sequences = read.catalog.sequences
    .filter((sequence) => read.inScope(sequence.schema, sequence.table))
    .map((sequence): DataSequence => {
      const range = ranges.get(columnOf(sequence));
      return {
        sequence: sequence.sequence,
        column: columnOf(sequence),
        increment: sequence.increment,
        start: sequence.start,
        minValue: sequence.minValue,
        maxValue: sequence.maxValue,
        nextValue: positions.get(sequence.oid)?.next ?? null,
        liveMin: range?.min ?? null,
        liveMax: range?.max ?? null,
      };
    });
  if (sizes.size > 0) {
    const byKey = new Map(read.catalog.tables.map((table) => [tableKey(table.schema, table.table), table]));
    read.snapshot.volumes = read.snapshot.volumes.map((volume) => {
      const table = byKey.get(volume.table);
      const bytes = table && sizes.get(table.oid);
      return table && bytes !== undefined
        ? { table: volume.table, ...estimate(volumeRow(table, bytes)) }
        : volume;
    });
  }
}

/** Per table OID: whether the statistics leave room for rows. */
function rowsMayExist(catalog: DataCatalog): (tableOid: number) => boolean {
  const tables = new Map(catalog.tables.map((table) => [table.oid, table]));
  return (tableOid) => {
    const table = tables.get(tableOid);
    return table === undefined || !knownEmpty(table, catalog.major);
  };
}

function columnOf(sequence: CatalogSequence): string {
  return columnKey(sequence.schema, sequence.table, sequence.column);
}

function coverageInput(
  rules: Awaited<ReturnType<typeof loadMaskingRules>>,
  { tables: all, matviews }: DataCatalog,
): MaskingCoverageInput {
  const tables = new Map(all.map((table) => [tableKey(table.schema, table.table), table]));
  const ruled: string[] = [];
  const stale: string[] = [];
  for (const table of rules.tables) {
    const found =
      tables.get(tableKey(table.schema, table.table)) ??
      matviews.find((view) => view.schema === table.schema && view.name === table.table);
    if (!found) {
      stale.push(tableKey(table.schema, table.table));
      continue;
    }
    const columns = new Set(found.columns);
    for (const column of Object.keys(table.columns)) {
      (columns.has(column) ? ruled : stale).push(columnKey(table.schema, table.table, column));
    }
  }
  return { file: rules.file, ruled, stale };
}

type VolumeRow = Parameters<typeof estimate>[0];

function volumeRow(table: CatalogTable, bytes?: string): VolumeRow {
  return {
    reltuples: table.reltuples,
    relpages: table.relpages,
    analyzed: table.analyzed,
    n_live_tup: String(table.liveTuples),
    ...(bytes === undefined ? {} : { bytes }),
  };
}

function needsSize(table: CatalogTable): boolean {
  return neverAnalyzed(volumeRow(table));
}

function neverAnalyzed(row: VolumeRow): boolean {
  return row.reltuples < 0 || (row.reltuples === 0 && row.relpages === 0 && !row.analyzed);
}

/**
 * reltuples is -1 (PostgreSQL 14+) or 0 with relpages 0 (13) for a table never vacuumed or analyzed:
 * unknown, not empty. Then: a table with no pages on disk is empty; otherwise the statistics
 * collector's live-tuple count (it counts inserts without an ANALYZE, but is not copied into a
 * clone); otherwise we say we do not know rather than guess. `bytes` (pg_relation_size, which
 * locks the table) is read only where the answer matters: undefined means not read.
 */
export function estimate(row: {
  reltuples: number;
  relpages: number;
  analyzed: boolean;
  n_live_tup: string | null;
  bytes?: string;
}): Pick<DataTableVolume, "rows" | "source"> {
  if (!neverAnalyzed(row)) return { rows: Math.round(row.reltuples), source: "reltuples" };
  if (row.bytes !== undefined && Number(row.bytes) === 0) return { rows: 0, source: "relation size" };
  const live = row.n_live_tup === null ? 0 : Number(row.n_live_tup);
  if (live > 0) return { rows: live, source: "n_live_tup" };
  return { rows: null, source: "unknown" };
}
