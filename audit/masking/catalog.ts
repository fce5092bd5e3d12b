// What masking needs to know about a database, read in a fixed handful of catalog queries:
// every user table's columns (type, length, nullability, uniqueness), partitions, foreign keys, CHECK
// constraints, the triggers that derive tsvector columns, and the materialized views over them.
import type pg from "pg";

export interface CatalogColumn {
  schema: string;
  table: string;
  column: string;
  /** `format_type()`, e.g. `character varying(40)`; masked values are cast to it. */
  type: string;
  /** pg_type.typcategory of the (base) type: `S` for strings. */
  category: string;
  /** The base type's name without modifiers (`character varying`, `date`, `inet`), through domains. */
  baseType: string;
  /** Declared character length (varchar(n), char(n), also through a domain); null when unbounded. */
  maxLength: number | null;
  /** The column's type is a domain (its constraints apply to masked values too). */
  domain: boolean;
  /** Stored generated column: PostgreSQL recomputes it from the masked columns. */
  generated: boolean;
  /** `r` table, `p` partitioned table, `m` materialized view. */
  relkind: string;
  notNull: boolean;
  /** Part of a unique index or constraint (including the primary key). */
  unique: boolean;
  /** Stored generated or GENERATED ALWAYS identity: cannot be assigned. */
  assignable: boolean;
}

export interface CatalogTable {
  schema: string;
  table: string;
  partitioned: boolean;
  /** pg_class.reltuples when the table was ever analyzed or vacuumed; null when unknown. */
  estimatedRows: number | null;
  /** Leaf partitions (`schema.table`) of a partitioned table; the rows live there. */
  leaves: Array<{ schema: string; table: string }>;
}

export interface CatalogForeignKey {
  schema: string;
  table: string;
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
}

export interface CatalogMatview {
  schema: string;
  name: string;
  /** WITH NO DATA views have nothing to refresh (and nothing to leak). */
  populated: boolean;
  /** Table columns its query reads, `schema.table.column`. */
  reads: string[];
}

export interface CatalogTrigger {
  schema: string;
  table: string;
  name: string;
  /** pg_trigger.tgenabled: O (origin), D (disabled), R (replica), A (always). */
  enabled: string;
}

export interface CatalogCheck {
  schema: string;
  table: string;
  name: string;
  /** The boolean expression, as pg_get_constraintdef prints it inside CHECK (…). */
  expression: string;
  columns: string[];
}

export interface MaskingCatalog {
  tables: Map<string, CatalogTable>;
  /** Ordered by oid, which is creation order: a view over another view comes after it. */
  matviews: CatalogMatview[];
  /** BEFORE ROW triggers that compute a tsvector (built-in tsvector_update_trigger, or a function using to_tsvector). */
  tsvectorTriggers: CatalogTrigger[];
  checks: CatalogCheck[];
  /** Keyed by `schema.table.column`. */
  columns: Map<string, CatalogColumn>;
  foreignKeys: CatalogForeignKey[];
}

export function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}

export function columnKey(schema: string, table: string, column: string): string {
  return `${schema}.${table}.${column}`;
}

const USER_TABLES = `
  c.relkind in ('r', 'p')
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
  and n.nspname not like 'pg\\_temp%'`;

const USER_RELATIONS = `
  c.relkind in ('r', 'p', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
  and n.nspname not like 'pg\\_temp%'`;

export async function readMaskingCatalog(client: pg.ClientBase): Promise<MaskingCatalog> {
  const tables = await client.query<{
    schema: string;
    table: string;
    partitioned: boolean;
    estimated_rows: number | null;
    leaves: string[][];
  }>(`
    select n.nspname as schema, c.relname as table, c.relkind = 'p' as partitioned,
           case when c.reltuples >= 0 and c.relpages > 0 then c.reltuples::float8 end as estimated_rows,
           coalesce((select array_agg(array[ln.nspname::text, l.relname::text] order by ln.nspname, l.relname)
                       from pg_partition_tree(c.oid) t
                       join pg_class l on l.oid = t.relid and l.relkind = 'r'
                       join pg_namespace ln on ln.oid = l.relnamespace
                      where c.relkind = 'p'), '{}') as leaves
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${USER_TABLES}`);
  const columns = await client.query<CatalogColumn>(`
    select n.nspname as schema, c.relname as table, a.attname as column,
           format_type(a.atttypid, a.atttypmod) as type,
           case when t.typtype = 'd' then bt.typcategory else t.typcategory end as category,
           format_type(coalesce(bt.oid, t.oid), null) as "baseType",
           case when coalesce(bt.oid, t.oid) in ('varchar'::regtype, 'bpchar'::regtype)
                     and (case when t.typtype = 'd' then t.typtypmod else a.atttypmod end) > 4
                then (case when t.typtype = 'd' then t.typtypmod else a.atttypmod end) - 4 end as "maxLength",
           t.typtype = 'd' as domain,
           a.attgenerated = 's' as generated,
           c.relkind::text as relkind,
           a.attnotnull as "notNull",
           -- In a unique index as a key column, or inside one of its expressions (lower(email)).
           exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisunique
                   and (a.attnum = any (i.indkey::int2[])
                        or exists (select 1 from pg_depend d
                                    where d.classid = 'pg_class'::regclass and d.objid = i.indexrelid
                                      and d.refclassid = 'pg_class'::regclass and d.refobjid = c.oid
                                      and d.refobjsubid = a.attnum))) as unique,
           a.attgenerated = '' and a.attidentity <> 'a' as assignable
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
      left join pg_type bt on bt.oid = t.typbasetype
     where ${USER_RELATIONS}`);
  const matviews = await client.query<CatalogMatview>(`
    select n.nspname as schema, c.relname as name, c.relispopulated as populated,
           array(select distinct rn.nspname || '.' || r.relname || '.' || ra.attname
                   from pg_rewrite w
                   join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = w.oid
                    and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
                   join pg_class r on r.oid = d.refobjid and r.oid <> c.oid
                   join pg_namespace rn on rn.oid = r.relnamespace
                   join pg_attribute ra on ra.attrelid = r.oid and ra.attnum = d.refobjsubid
                  where w.ev_class = c.oid order by 1) as reads
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'm'
     order by c.oid`);
  // tgtype bits: 1 = ROW, 2 = BEFORE, 16 = UPDATE.
  const triggers = await client.query<CatalogTrigger>(`
    select n.nspname as schema, c.relname as table, g.tgname as name, g.tgenabled::text as enabled
      from pg_trigger g
      join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_proc p on p.oid = g.tgfoid
     where not g.tgisinternal and g.tgtype & 19 = 19
       and (p.proname in ('tsvector_update_trigger', 'tsvector_update_trigger_column')
            or p.prosrc ~* 'to_tsvector')
     order by 1, 2, 3`);
  const checks = await client.query<CatalogCheck>(`
    select n.nspname as schema, c.relname as table, k.conname as name,
           substring(pg_get_constraintdef(k.oid) from '^CHECK \\((.*)\\)( NOT VALID)?$') as expression,
           array(select a.attname::text from pg_attribute a
                  where a.attrelid = k.conrelid and a.attnum = any (k.conkey)) as columns
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
     where k.contype = 'c' and k.convalidated and c.relkind in ('r', 'p') and k.conparentid = 0
     order by 1, 2, 3`);
  // conparentid <> 0 marks the copies PostgreSQL makes on each partition of a partitioned FK.
  const foreignKeys = await client.query<CatalogForeignKey>(`
    select n.nspname as schema, c.relname as table, k.conname as name,
           array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, i)
                   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.i) as columns,
           rn.nspname as "referencedSchema", r.relname as "referencedTable",
           array(select a.attname::text from unnest(k.confkey) with ordinality u(attnum, i)
                   join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum order by u.i)
             as "referencedColumns"
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_class r on r.oid = k.confrelid join pg_namespace rn on rn.oid = r.relnamespace
     where k.contype = 'f' and k.conparentid = 0
     order by 1, 2, 3`);

  return {
    tables: new Map(
      tables.rows.map((row) => [
        tableKey(row.schema, row.table),
        {
          schema: row.schema,
          table: row.table,
          partitioned: row.partitioned,
          estimatedRows: row.estimated_rows,
          leaves: row.leaves.map(([schema = "", table = ""]) => ({ schema, table })),
        },
      ]),
    ),
    matviews: matviews.rows,
    tsvectorTriggers: triggers.rows,
    checks: checks.rows,
    columns: new Map(columns.rows.map((row) => [columnKey(row.schema, row.table, row.column), row])),
    foreignKeys: foreignKeys.rows,
  };
}
