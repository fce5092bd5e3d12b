// What masking needs to know about a database, read in a fixed handful of catalog queries:
// every user table's columns (type, nullability, uniqueness), partitions, and foreign keys.
import type pg from "pg";

export interface CatalogColumn {
  schema: string;
  table: string;
  column: string;
  /** `format_type()`, e.g. `character varying(40)`; masked values are cast to it. */
  type: string;
  /** pg_type.typcategory of the (base) type: `S` for strings. */
  category: string;
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

export interface MaskingCatalog {
  tables: Map<string, CatalogTable>;
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

export async function readMaskingCatalog(client: pg.ClientBase): Promise<MaskingCatalog> {
  const tables = await client.query<{
    schema: string;
    table: string;
    partitioned: boolean;
    leaves: string[][];
  }>(`
    select n.nspname as schema, c.relname as table, c.relkind = 'p' as partitioned,
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
     where ${USER_TABLES}`);
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
          leaves: row.leaves.map(([schema = "", table = ""]) => ({ schema, table })),
        },
      ]),
    ),
    columns: new Map(columns.rows.map((row) => [columnKey(row.schema, row.table, row.column), row])),
    foreignKeys: foreignKeys.rows,
  };
}
