// The data check's catalog facts, read in one round trip over system catalogs and statistics only:
// no user table, index or sequence is opened, so none is locked and no relation cache entry is
// built for it (building one per relation is what made the old read cost seconds at thousands of
// tables). What needs a relation opened (sequence positions, live id ranges, relation sizes) is
// read afterwards in lock-bounded batches, and only where it can change a finding (plan.ts).
import type pg from "pg";

export interface CatalogTable {
  schema: string;
  table: string;
  /** `r` ordinary, `p` partitioned. */
  kind: "r" | "p";
  /** A leaf partition (its rows are counted, its columns belong to the partitioned table). */
  partition: boolean;
  oid: number;
  reltuples: number;
  relpages: number;
  /** Ever analyzed or vacuumed, by the statistics collector (not copied into a clone). */
  analyzed: boolean;
  /** Live rows by the statistics collector: counts inserts since the last ANALYZE too. */
  liveTuples: number;
  /** Indexes on the table: each is locked too when the planner reads the table. */
  indexes: number;
  /** Column names in column order; empty when the read was for a baseline (columnsRead false). */
  columns: string[];
  /** format_type() of each column, in the same order. */
  types: string[];
  /** Names of its generated columns (recomputed from the columns they read). */
  generated: string[];
}

export interface CatalogSequence {
  oid: number;
  /** `schema.name` */
  sequence: string;
  sequenceSchema: string;
  sequenceName: string;
  schema: string;
  table: string;
  column: string;
  tableOid: number;
  increment: string;
  start: string;
  minValue: string;
  maxValue: string;
  /** SELECT on the sequence: its own row can be read (an uncalled sequence's next value). */
  readable: boolean;
  /** SELECT or USAGE: pg_sequence_last_value() answers. */
  positioned: boolean;
  /** The column leads an index and may be read: min()/max() are two index probes. */
  indexed: boolean;
}

/** A materialized view: refreshed from the masked tables, so covered through what it reads. */
export interface CatalogMatview {
  schema: string;
  name: string;
  columns: string[];
  /** format_type() of each column, in the same order. */
  types: string[];
  /** Table columns its query reads, `schema.table.column`. */
  reads: string[];
}

export interface DataCatalog {
  major: number;
  /** current_database() */
  database: string;
  /** Whether columns, materialized views and foreign keys were read (CatalogOptions). */
  columnsRead: boolean;
  tables: CatalogTable[];
  matviews: CatalogMatview[];
  sequences: CatalogSequence[];
  foreignKeyPairs: Array<[string, string]>;
}

const USER_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

// A table's statistics, and its index count (each index is locked too when the planner reads
// the table). What the baseline's read needs of a table.
const TABLE_FACTS = `n.nspname as schema, c.relname as table, c.relkind as kind, c.relispartition as partition,
         c.oid::int8 as oid, c.reltuples::float8 as reltuples, c.relpages,
         coalesce(pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid),
                  pg_stat_get_last_vacuum_time(c.oid), pg_stat_get_last_autovacuum_time(c.oid)) is not null
           as analyzed,
         pg_stat_get_live_tuples(c.oid)::float8 as "liveTuples",
         (select count(*) from pg_index i where i.indrelid = c.oid)::int as indexes`;

const TABLES_QUERY = `
  select ${TABLE_FACTS}
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind in ('r', 'p') and ${USER_SCHEMAS}`;

// The same, with each table's columns as json arrays on its row, read through pg_attribute's
// (attrelid, attnum) index: names and types by attnum (null at a dropped column's number, so a
// foreign key's column numbers index them), and the generated columns' names. 22,000 columns at
// 2,000 tables: as four text[] arrays per table (a sort each on the server, postgres-array's
// parser on the client) this took ~100 ms of CPU per database, server and client together; as
// json arrays (JSON.parse) about half.
const TABLES_WITH_COLUMNS_QUERY = `
  select ${TABLE_FACTS},
         coalesce(x.columns, '[]') as columns, coalesce(x.types, '[]') as types,
         coalesce(x.generated, '[]') as generated
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    left join lateral (
      select json_agg(case when not a.attisdropped then a.attname end order by a.attnum) as columns,
             json_agg(case when not a.attisdropped then format_type(a.atttypid, a.atttypmod) end
                      order by a.attnum) as types,
             json_agg(a.attname) filter (where a.attgenerated <> '' and not a.attisdropped) as generated
        from pg_attribute a
       where a.attrelid = c.oid and a.attnum > 0) x on true
   where c.relkind in ('r', 'p') and ${USER_SCHEMAS}`;

// Owned-by (deptype a) and identity (deptype i) sequences, with the column they feed; the table's
// schema and name come from the tables' rows (sequences of other tables are left out there).
// Checking privileges is a cold catalog-cache lookup per sequence and per column (~20 ms of the
// server's CPU at 2,000 sequences): a superuser, who has them all, skips the checks.
const SEQUENCES_QUERY = `
  select s.oid::int8 as oid, sn.nspname as "sequenceSchema", s.relname as "sequenceName",
         d.refobjid::int8 as "tableOid", a.attname as column,
         q.seqincrement::text as increment, q.seqstart::text as start,
         q.seqmin::text as "minValue", q.seqmax::text as "maxValue",
         r.rolsuper or has_sequence_privilege(s.oid, 'select') as readable,
         r.rolsuper or has_sequence_privilege(s.oid, 'select,usage') as positioned,
         (r.rolsuper or has_column_privilege(d.refobjid, a.attnum, 'select'))
           and exists (select 1 from pg_index i where i.indrelid = d.refobjid and i.indkey[0] = a.attnum) as indexed
    from pg_depend d
    join pg_sequence q on q.seqrelid = d.objid
    join pg_class s on s.oid = q.seqrelid
    join pg_namespace sn on sn.oid = s.relnamespace
    join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
    cross join (select rolsuper from pg_roles where rolname = current_user) r
   where d.classid = 'pg_class'::regclass and d.objsubid = 0 and d.refclassid = 'pg_class'::regclass
     and d.deptype in ('a', 'i')`;

// Its columns, and the table columns its rewrite rule depends on (pg_depend: catalogs only).
const MATVIEWS_QUERY = `
  select c.oid, n.nspname as schema, c.relname as name,
         array(select a.attname::text from pg_attribute a
                where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
         array(select format_type(a.atttypid, a.atttypmod) from pg_attribute a
                where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as types,
         array(select distinct rn.nspname || '.' || r.relname || '.' || ra.attname
                 from pg_rewrite w
                 join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = w.oid
                  and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
                 join pg_class r on r.oid = d.refobjid and r.oid <> c.oid
                 join pg_namespace rn on rn.oid = r.relnamespace
                 join pg_attribute ra on ra.attrelid = r.oid and ra.attnum = d.refobjsubid
                where w.ev_class = c.oid order by 1) as reads
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relkind = 'm' and ${USER_SCHEMAS}`;

// conparentid <> 0 marks the copies PostgreSQL makes on each partition of a partitioned FK.
// Column numbers only: their names come from the tables' rows (naming them here, two
// pg_attribute and two pg_class lookups per pair, cost the server ~30 ms more at 2,000 tables).
const FOREIGN_KEYS_QUERY = `
  select k.conrelid::int8 as "from", k.confrelid::int8 as "to", k.conkey as columns, k.confkey as referenced,
         k.conname as name
    from pg_constraint k
   where k.contype = 'f' and k.conparentid = 0`;

/**
 * A query's rows as one json array in one row. node-postgres parses a result row by row and
 * field by field in JavaScript: in a fresh process (the CLI), 2,000 sequence rows of fifteen
 * fields took ~25 ms of its CPU; the same rows as one json value, JSON.parse'd, ~4 ms (the
 * server spends a few ms more building it).
 */
const asJson = (query: string, order: string) =>
  `select coalesce(json_agg(x order by ${order}), '[]') as rows from (${query}) x`;

export interface CatalogOptions {
  /**
   * Read what only a target's rules look at: columns (masking coverage), materialized views,
   * foreign keys. A baseline's snapshot gives the rules its sequences and row estimates only,
   * so its read leaves them out (22,000 columns at 2,000 tables are most of the catalog's cost).
   */
  columns: boolean;
  /** Read foreign keys: masking coverage follows them from ruled columns, so only with a rules file. */
  foreignKeys: boolean;
}

/**
 * Reads the catalog facts in one read-only REPEATABLE READ transaction, so they agree with each
 * other, sent as one simple-query message: one round trip.
 */
export async function readDataCatalog(
  client: pg.ClientBase,
  { columns, foreignKeys: keys }: CatalogOptions = { columns: true, foreignKeys: true },
): Promise<DataCatalog> {
  const script = [
    "begin isolation level repeatable read read only",
    "select current_setting('server_version_num')::int / 10000 as major, current_database() as database",
    asJson(columns ? TABLES_WITH_COLUMNS_QUERY : TABLES_QUERY, "x.oid"),
    asJson(SEQUENCES_QUERY, "x.oid"),
    ...(columns ? [asJson(MATVIEWS_QUERY, "x.oid")] : []),
    ...(columns && keys ? [asJson(FOREIGN_KEYS_QUERY, "x.from, x.name")] : []),
    "commit",
  ].join(";\n");
  const results = (await client.query(script)) as unknown as pg.QueryResult[];
  const rowsOf = <Row>(i: number): Row[] => (results[i]?.rows[0] as { rows: Row[] } | undefined)?.rows ?? [];
  const version = results[1] as pg.QueryResult<{ major: number; database: string }>;
  const tables = { rows: rowsOf<TableRow>(2) };
  const sequences = { rows: rowsOf<CatalogSequence>(3) };
  const matviews = { rows: rowsOf<CatalogMatview & { oid?: number }>(4).map(({ oid: _, ...view }) => view) };
  const foreignKeys = {
    rows: rowsOf<{ from: number; to: number; columns: number[]; referenced: number[] }>(5),
  };
  // Names by attnum (index attnum - 1), dropped columns null; the tables keep the live ones.
  // Foreign keys name columns by number: named before tableOf() drops the dropped columns' nulls.
  const byOid = new Map(tables.rows.map((row) => [Number(row.oid), row]));
  const nameOf = (table: number, attnum: number) => byOid.get(table)?.columns?.[attnum - 1] ?? "";
  const keyOf = (table: number) => {
    const row = byOid.get(table);
    return row ? `${row.schema}.${row.table}` : "";
  };
  const foreignKeyPairs = foreignKeys.rows.flatMap((fk) => {
    const [from, to] = [Number(fk.from), Number(fk.to)];
    return fk.columns.map((attnum, i): [string, string] => [
      `${keyOf(from)}.${nameOf(from, attnum)}`,
      `${keyOf(to)}.${nameOf(to, fk.referenced[i] ?? 0)}`,
    ]);
  });
  return {
    major: version.rows[0]?.major ?? 0,
    database: version.rows[0]?.database ?? "",
    columnsRead: columns,
    tables: tables.rows.map((row) => tableOf(row)),
    matviews: matviews.rows,
    // json numbers already (oids fit); named after their tables, which are ordinary or partitioned.
    sequences: sequences.rows.flatMap((sequence) => {
      const table = byOid.get(sequence.tableOid);
      if (!table) return [];
      sequence.schema = table.schema;
      sequence.table = table.table;
      sequence.sequence = `${sequence.sequenceSchema}.${sequence.sequenceName}`;
      return [sequence];
    }),
    foreignKeyPairs,
  };
}

/** A tables row: columns and types by attnum, null where dropped, when columns were read. */
type TableRow = Omit<CatalogTable, "columns" | "types" | "generated"> & {
  columns?: Array<string | null>;
  types?: Array<string | null>;
  generated?: string[];
};

function tableOf(row: TableRow): CatalogTable {
  // A baseline's read has no columns (CatalogOptions).
  const { columns: names = [], types: byAttnum = [], generated = [] } = row;
  // Dropped columns are rare: the parsed arrays stay as they are unless there is one.
  const live = !names.includes(null);
  row.columns = live ? names : names.filter((name) => name !== null);
  row.types = live ? byAttnum : byAttnum.filter((_, i) => names[i] !== null).map((type) => type ?? "");
  row.generated = generated;
  return row as CatalogTable;
}

/**
 * Whether the statistics say the table has no rows: vacuumed or analyzed and found empty, and no
 * row inserted since (the collector counts those). PostgreSQL 13 also shows a never-analyzed
 * table as 0 tuples on 0 pages, so there the collector must have seen an ANALYZE or VACUUM.
 */
export function knownEmpty(table: CatalogTable, major: number): boolean {
  if (table.liveTuples > 0 || table.relpages > 0 || table.reltuples > 0) return false;
  return major >= 14 ? table.reltuples === 0 : table.analyzed;
}
