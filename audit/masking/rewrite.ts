// The one-pass path: a table whose masked columns nothing else depends on is masked by
// `ALTER TABLE … ALTER COLUMN c TYPE <its own type> USING <masked value>`, which writes every row once
// into a new heap (a fresh relation file; the old one is unlinked at commit, so no pre-mask row version
// stays behind) and builds its indexes by sort, instead of an UPDATE (a new version of every row, an
// index insert per row and index, then VACUUM FULL to drop the old versions). Measured in
// bench/masking-bench.ts: the rewrite costs about a quarter of the UPDATE it replaces.
//
// ALTER COLUMN TYPE rebuilds what depends on the column, and PostgreSQL refuses it for views, rules,
// policies, column triggers and generated columns, and re-validates a foreign key on the column one
// table at a time (a parent masked before its child would fail). So only tables where the column's dependents are its
// own indexes, its own CHECK/UNIQUE/primary-key/exclusion constraints and its own default take this
// path; everything else takes the batched UPDATE (mask-database.ts). Both compute the same expressions
// (transforms.ts; only how they read the key differs: folded constants here, an init plan there, see
// PadReading), so the same input masks alike on either path (test/masking/known-answers.test.ts).
import type pg from "pg";
import { quoteIdent } from "../core/sql.ts";
import type { MaskingPlan, PlannedTable } from "./plan.ts";
import { maskedValueSql } from "./transforms.ts";

/**
 * The masked tables (`schema.table`) that can be rewritten in one pass. Read inside the masking
 * transaction, after the tables are locked. Also refused: partitions, inheritance, typed tables, a row
 * type used elsewhere, array columns, and non-default storage, compression or statistics targets, which
 * ALTER COLUMN TYPE would reset (schema drift against the source).
 */
export async function rewritableTables(client: pg.ClientBase, plan: MaskingPlan): Promise<Set<string>> {
  const recomputed = new Set(plan.recomputeTriggers.map((trigger) => `${trigger.schema}.${trigger.table}`));
  const candidates = plan.tables.filter(
    (table) =>
      table.columns.length > 0 &&
      !recomputed.has(`${table.schema}.${table.table}`) &&
      table.storage.length === 1 &&
      table.storage[0]?.schema === table.schema &&
      table.storage[0]?.table === table.table,
  );
  if (candidates.length === 0) return new Set();
  const { rows } = await client.query<{ name: string }>(
    `with masked as (
       select c.oid as relid, c.reltype, a.attnum, a.attcollation, a.attstorage, a.atttypid,
              to_jsonb(a) as att, n.nspname || '.' || c.relname as name
         from jsonb_to_recordset($1::jsonb) as m(schema text, "table" text, "column" text)
         join pg_namespace n on n.nspname = m.schema
         join pg_class c on c.relnamespace = n.oid and c.relname = m."table"
         join pg_attribute a on a.attrelid = c.oid and a.attname = m."column"
        where c.relkind = 'r' and not c.relispartition and c.reloftype = 0
     ),
     refused as (
       select m.name from masked m
        join pg_type t on t.oid = m.atttypid
        where t.typcategory = 'A'
           or m.attstorage <> t.typstorage
           or coalesce(m.att->>'attcompression', '') <> ''
           or coalesce((m.att->>'attstattarget')::int, -1) >= 0
           or (m.att->>'attinhcount')::int > 0
       union all
       select m.name from masked m
        where exists (select 1 from pg_inherits i where i.inhrelid = m.relid or i.inhparent = m.relid)
           or exists (select 1 from pg_attribute o where o.atttypid = m.reltype and not o.attisdropped)
       union all
       -- Whatever depends on the column, except its own indexes, constraints and default.
       select m.name from masked m
         join pg_depend d on d.refclassid = 'pg_class'::regclass and d.refobjid = m.relid
                         and d.refobjsubid = m.attnum
        where not (d.classid = 'pg_class'::regclass and exists (
                     select 1 from pg_index i where i.indexrelid = d.objid and i.indrelid = m.relid
                        and not i.indisclustered and not i.indisreplident))
          and not (d.classid = 'pg_constraint'::regclass and exists (
                     select 1 from pg_constraint k where k.oid = d.objid and k.conrelid = m.relid
                        and k.contype in ('c', 'u', 'p', 'x', 'n')))
          and not (d.classid = 'pg_attrdef'::regclass and exists (
                     select 1 from pg_attrdef ad where ad.oid = d.objid and ad.adrelid = m.relid
                        and ad.adnum = m.attnum))
     )
     select distinct name from masked where name not in (select name from refused)`,
    [
      JSON.stringify(
        candidates.flatMap((table) =>
          table.columns.map((column) => ({
            schema: table.schema,
            table: table.table,
            column: column.column,
          })),
        ),
      ),
    ],
  );
  return new Set(rows.map((row) => row.name));
}

/** Masks a whole table in one statement; returns the rows written. */
export async function rewriteTable(client: pg.ClientBase, table: PlannedTable): Promise<number> {
  const relation = `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`;
  const { rows } = await client.query<{ column: string; collation: string | null }>(
    // A column collation other than its type's must be named again, or ALTER TYPE resets it.
    `select a.attname as column,
            case when a.attcollation <> t.typcollation
                 then quote_ident(cn.nspname) || '.' || quote_ident(co.collname) end as collation
       from pg_attribute a join pg_type t on t.oid = a.atttypid
       left join pg_collation co on co.oid = a.attcollation
       left join pg_namespace cn on cn.oid = co.collnamespace
      where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
    [relation],
  );
  const collations = new Map(rows.map((row) => [row.column, row.collation]));
  const clauses = table.columns.map((column) => {
    const collation = collations.get(column.column);
    return `alter column ${quoteIdent(column.column)} type ${column.type}${collation ? ` collate ${collation}` : ""} using ${maskedValueSql(column, "constant")}`;
  });
  const counted = await client.query<{ n: string }>(`select count(*) as n from only ${relation}`);
  await client.query(`alter table ${relation} ${clauses.join(", ")}`);
  return Number(counted.rows[0]?.n ?? 0);
}
