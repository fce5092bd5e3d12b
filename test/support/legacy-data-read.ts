// The data check's read as it was before the lock-bounded redesign (audit/drift/checks/data/
// read.ts at 359a54e), kept only to show that the new read gives the same findings
// (test/data/read-equivalence.test.ts, `npm run bench -- audit --compare-reads`). It reads every
// sequence and every live id range in one transaction: ~11,000 relation locks at 10,000 tables.
// The only change: it also reads the sequences' declared bounds, which the rules now use.
import { isAbsolute, resolve } from "node:path";
import type pg from "pg";
import type { DatabaseSpec, ReadContext } from "../../audit/core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import { failureOf, newClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { tableFilter } from "../../audit/drift/checks/data/filter.ts";
import type {
  DataSequence,
  DataSnapshot,
  DataTableVolume,
  MaskingCoverageInput,
} from "../../audit/drift/checks/data/types.ts";
import { columnKey, type MaskingCatalog, readMaskingCatalog, tableKey } from "../../audit/masking/catalog.ts";
import { loadMaskingRules } from "../../audit/masking/rules-file.ts";

export const DEFAULT_MIN_ROW_RATIO = 0.1;

/** Branches per UNION ALL statement: 10,000 in one statement exceed the default max_stack_depth. */
export const UNION_CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export async function readLegacyDataSnapshot(
  spec: DatabaseSpec,
  context: ReadContext,
): Promise<DataSnapshot> {
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

  // Same footing as the schema read: one consistent, read-only snapshot that names itself in
  // pg_stat_activity and cannot run away on a busy production server.
  const client = newClient({
    connectionString: spec.url,
    application_name: "parity",
    statement_timeout: 120_000,
  });
  try {
    await client.connect();
    await client.query("begin isolation level repeatable read read only");
    const catalog = await readMaskingCatalog(client);
    const sequences = await readSequences(client, inScope);
    const volumes = await readVolumes(client, inScope);
    await client.query("commit");

    const partitions = new Set(
      [...catalog.tables.values()].flatMap((table) =>
        table.leaves.map((leaf) => tableKey(leaf.schema, leaf.table)),
      ),
    );
    return {
      environment: context.environment,
      columns: [...catalog.columns.values()]
        .filter(
          (column) =>
            inScope(column.schema, column.table) && !partitions.has(tableKey(column.schema, column.table)),
        )
        .map(({ schema, table, column, type }) => ({ schema, table, column, type })),
      foreignKeyPairs: catalog.foreignKeys.flatMap((fk) =>
        fk.columns.map((column, i): [string, string] => [
          columnKey(fk.schema, fk.table, column),
          columnKey(fk.referencedSchema, fk.referencedTable, fk.referencedColumns[i] ?? ""),
        ]),
      ),
      masking: rules ? coverageInput(rules, catalog) : null,
      sequences,
      volumes,
      minRowRatio,
    };
  } catch (error) {
    if (error instanceof ParityInputError) throw error;
    const cause = failureOf(client, error);
    throw new EnvironmentReadError(context.environment, "database (data check)", cause.message, { cause });
  } finally {
    await client.end().catch(() => undefined);
  }
}

function coverageInput(
  rules: Awaited<ReturnType<typeof loadMaskingRules>>,
  catalog: MaskingCatalog,
): MaskingCoverageInput {
  const ruled: string[] = [];
  const stale: string[] = [];
  for (const table of rules.tables) {
    if (!catalog.tables.has(tableKey(table.schema, table.table))) {
      stale.push(tableKey(table.schema, table.table));
      continue;
    }
    for (const column of Object.keys(table.columns)) {
      const key = columnKey(table.schema, table.table, column);
      (catalog.columns.has(key) ? ruled : stale).push(key);
    }
  }
  return { file: rules.file, ruled, stale };
}

async function readSequences(
  client: pg.Client,
  inScope: (schema: string, table: string) => boolean,
): Promise<DataSequence[]> {
  // Owned-by (deptype a) and identity (deptype i) sequences, with the column they feed.
  const { rows } = await client.query<{
    sequence_schema: string;
    sequence_name: string;
    schema: string;
    table: string;
    column: string;
    increment: string;
    start: string;
    min_value: string;
    max_value: string;
    readable: boolean;
    last_value: string | null;
    indexed: boolean;
  }>(`
    select sn.nspname as sequence_schema, s.relname as sequence_name,
           tn.nspname as schema, t.relname as table, a.attname as column,
           q.seqincrement::text as increment, q.seqstart::text as start,
           q.seqmin::text as min_value, q.seqmax::text as max_value,
           has_sequence_privilege(s.oid, 'select') as readable,
           case when has_sequence_privilege(s.oid, 'select,usage')
                then pg_sequence_last_value(s.oid)::text end as last_value,
           has_column_privilege(t.oid, a.attnum, 'select')
             and exists (select 1 from pg_index i where i.indrelid = t.oid and i.indkey[0] = a.attnum) as indexed
      from pg_depend d
      join pg_class s on s.oid = d.objid and s.relkind = 'S'
      join pg_namespace sn on sn.oid = s.relnamespace
      join pg_sequence q on q.seqrelid = s.oid
      join pg_class t on t.oid = d.refobjid and t.relkind in ('r', 'p')
      join pg_namespace tn on tn.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
     where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
     order by 3, 4, 5`);
  const sequences = rows.filter((row) => inScope(row.schema, row.table));

  // min()/max() of an indexed column reads two index entries: cheap however big the table.
  const indexed = sequences.filter((row) => row.indexed);
  const ranges = new Map<string, { min: string | null; max: string | null }>();
  for (const chunk of chunks(indexed, UNION_CHUNK)) {
    const union = chunk
      .map(
        (row, i) =>
          `select ${i} as i, min(${quoteIdent(row.column)})::text as min, max(${quoteIdent(row.column)})::text as max from ${quoteIdent(row.schema)}.${quoteIdent(row.table)}`,
      )
      .join(" union all ");
    const live = await client.query<{ i: number; min: string | null; max: string | null }>(union);
    for (const range of live.rows) {
      const row = chunk[range.i];
      if (row) ranges.set(columnKey(row.schema, row.table, row.column), { min: range.min, max: range.max });
    }
  }
  // pg_sequence_last_value() gives a called sequence's state in the catalog query. It is null for one
  // not called since creation or RESTART, whose next value only its own row tells (pg_sequences hides it).
  const next = new Map<string, string>();
  for (const row of sequences) {
    if (row.last_value !== null) {
      next.set(
        `${row.sequence_schema}.${row.sequence_name}`,
        String(BigInt(row.last_value) + BigInt(row.increment)),
      );
    }
  }
  const uncalled = sequences.filter((row) => row.readable && row.last_value === null);
  for (const chunk of chunks(uncalled, UNION_CHUNK)) {
    const union = chunk
      .map(
        (row, i) =>
          `select ${i} as i, case when is_called then last_value + ${row.increment} else last_value end::text as next from ${quoteIdent(row.sequence_schema)}.${quoteIdent(row.sequence_name)}`,
      )
      .join(" union all ");
    const state = await client.query<{ i: number; next: string }>(union);
    for (const { i, next: value } of state.rows) {
      const row = chunk[i];
      if (row) next.set(`${row.sequence_schema}.${row.sequence_name}`, value);
    }
  }
  return sequences.map((row) => {
    const column = columnKey(row.schema, row.table, row.column);
    const range = ranges.get(column);
    return {
      sequence: `${row.sequence_schema}.${row.sequence_name}`,
      column,
      increment: row.increment,
      start: row.start,
      minValue: row.min_value,
      maxValue: row.max_value,
      nextValue: next.get(`${row.sequence_schema}.${row.sequence_name}`) ?? null,
      liveMin: range?.min ?? null,
      liveMax: range?.max ?? null,
    };
  });
}

async function readVolumes(
  client: pg.Client,
  inScope: (schema: string, table: string) => boolean,
): Promise<DataTableVolume[]> {
  const { rows } = await client.query<{
    schema: string;
    table: string;
    reltuples: number;
    relpages: number;
    analyzed: boolean;
    n_live_tup: string | null;
    bytes: string;
  }>(`
    select n.nspname as schema, c.relname as table, c.reltuples::float8 as reltuples, c.relpages,
           coalesce(s.last_analyze, s.last_autoanalyze, s.last_vacuum, s.last_autovacuum) is not null as analyzed,
           s.n_live_tup::text as n_live_tup, pg_relation_size(c.oid)::text as bytes
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_stat_user_tables s on s.relid = c.oid
     where c.relkind = 'r'
       and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
     order by 1, 2`);
  return rows
    .filter((row) => inScope(row.schema, row.table))
    .map((row) => ({ table: tableKey(row.schema, row.table), ...estimate(row) }));
}

/**
 * reltuples is -1 (PostgreSQL 14+) or 0 with relpages 0 (13) for a table never vacuumed or analyzed:
 * unknown, not empty. Then: a table with no pages on disk is empty; otherwise the statistics
 * collector's live-tuple count (it counts inserts without an ANALYZE, but is not copied into a
 * clone); otherwise we say we do not know rather than guess.
 */
export function estimate(row: {
  reltuples: number;
  relpages: number;
  analyzed: boolean;
  n_live_tup: string | null;
  bytes: string;
}): Pick<DataTableVolume, "rows" | "source"> {
  const neverAnalyzed = row.reltuples < 0 || (row.reltuples === 0 && row.relpages === 0 && !row.analyzed);
  if (!neverAnalyzed) return { rows: Math.round(row.reltuples), source: "reltuples" };
  if (Number(row.bytes) === 0) return { rows: 0, source: "relation size" };
  const live = row.n_live_tup === null ? 0 : Number(row.n_live_tup);
  if (live > 0) return { rows: live, source: "n_live_tup" };
  return { rows: null, source: "unknown" };
}
