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
// own indexes, its own CHECK/UNIQUE/primary-key/exclusion constraints, its own default and plain views
// take this path; everything else takes the batched UPDATE (mask-database.ts).
//
// A plain view over a masked column is set aside for the rewrite, not dropped: CREATE OR REPLACE VIEW
// gives it a stand-in query of typed NULLs with the same columns (so it no longer depends on the
// table), and after the rewrite its own definition back, with its options (OR REPLACE resets them).
// The view keeps its OID, so its grants, comments, column defaults, INSTEAD OF triggers, rules and the
// views built on it stay as they were. Definitions are printed with search_path = pg_catalog (every
// other name qualified, as pg_dump prints them) and must print identically afterwards; if anything in
// that fails, the savepoint undoes it and the table takes the batched UPDATE instead. Both compute the same expressions
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
          and not (d.classid = 'pg_rewrite'::regclass and exists (
                     select 1 from pg_rewrite r join pg_class v on v.oid = r.ev_class
                      where r.oid = d.objid and r.rulename = '_RETURN' and v.relkind = 'v'))
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

/** A plain view over masked columns, set aside while its table is rewritten. */
interface SetAsideView {
  name: string;
  /** `with (…)` for CREATE OR REPLACE VIEW: its reloptions (check_option included), or "". */
  options: string;
  definition: string;
  standIn: string;
}

/**
 * Masks a whole table in one statement; returns the rows written, or why the views over its masked
 * columns could not be set aside (nothing changed then: the caller masks it in batches).
 */
export async function rewriteTable(
  client: pg.ClientBase,
  table: PlannedTable,
): Promise<{ rows: number } | { batchedBecause: string }> {
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
  const alter = `alter table ${relation} ${clauses.join(", ")}`;
  const views = await viewsOver(
    client,
    relation,
    table.columns.map((column) => column.column),
  );
  if (views.length === 0) {
    await client.query(alter);
    return { rows: Number(counted.rows[0]?.n ?? 0) };
  }
  await client.query("savepoint parity_views_set_aside");
  let step: "set aside" | "rewrite" | "bring back" = "set aside";
  try {
    await withCatalogSearchPath(client, async () => {
      for (const view of views) await client.query(`create or replace view ${view.name} as ${view.standIn}`);
    });
    // Under the session's own search_path: the column types are printed for it (catalog.ts).
    step = "rewrite";
    await client.query(alter);
    step = "bring back";
    await withCatalogSearchPath(client, async () => {
      for (const view of views) {
        await client.query(`create or replace view ${view.name}${view.options} as ${view.definition}`);
      }
      const after = await viewsOver(
        client,
        relation,
        [],
        views.map((view) => view.name),
      );
      const changed = views.filter(
        (view, i) => after[i]?.definition !== view.definition || after[i]?.options !== view.options,
      );
      if (changed.length > 0) throw new Error(`${changed.map((view) => view.name).join(", ")} changed`);
    });
    await client.query("release savepoint parity_views_set_aside");
  } catch (error) {
    await client.query("rollback to savepoint parity_views_set_aside");
    await client.query("release savepoint parity_views_set_aside");
    // The rewrite's own failures (a CHECK or domain refusing a masked value) are the run's; only the
    // views' steps send the table down the batched path.
    if (step === "rewrite") throw error;
    const names = views
      .map((view) => view.name)
      .sort()
      .join(", ");
    return {
      batchedBecause: `the views over its masked columns (${names}) could not be set aside: ${(error as Error).message}`,
    };
  }
  return { rows: Number(counted.rows[0]?.n ?? 0) };
}

/**
 * The plain views whose query reads `columns` of `relation` (or, with `names`, those views), with
 * their definitions printed under search_path = pg_catalog, and a stand-in query of typed NULLs with
 * exactly their columns' names, types, typmods and collations (CREATE OR REPLACE VIEW checks all four).
 */
async function viewsOver(
  client: pg.ClientBase,
  relation: string,
  columns: readonly string[],
  names: readonly string[] = [],
): Promise<SetAsideView[]> {
  return withCatalogSearchPath(client, async () => {
    const { rows } = await client.query<SetAsideView>(
      `with views as (
         select distinct v.oid
           from pg_depend d
           join pg_rewrite r on r.oid = d.objid and r.rulename = '_RETURN'
           join pg_class v on v.oid = r.ev_class and v.relkind = 'v'
           join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
          where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
            and d.refobjid = $1::regclass and a.attname = any ($2::text[])
         union
         select n::regclass::oid from unnest($3::text[]) n
       )
       select quote_ident(ns.nspname) || '.' || quote_ident(v.relname) as name,
              coalesce(' with (' || (select string_agg(quote_ident(split_part(o, '=', 1)) || ' = ' ||
                                                       quote_literal(substr(o, strpos(o, '=') + 1)), ', ')
                                       from unnest(v.reloptions) o) || ')', '') as options,
              regexp_replace(pg_get_viewdef(v.oid), ';[[:space:]]*$', '') as definition,
              'select ' || (select string_agg(format('null::%s%s as %I', format_type(a.atttypid, a.atttypmod),
                                                     case when a.attcollation <> t.typcollation
                                                          then ' collate ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                                          else '' end,
                                                     a.attname), ', ' order by a.attnum)
                              from pg_attribute a
                              join pg_type t on t.oid = a.atttypid
                              left join pg_collation co on co.oid = a.attcollation
                              left join pg_namespace cn on cn.oid = co.collnamespace
                             where a.attrelid = v.oid and a.attnum > 0 and not a.attisdropped) as "standIn"
         from views w
         join pg_class v on v.oid = w.oid
         join pg_namespace ns on ns.oid = v.relnamespace
        order by array_position($3::text[], quote_ident(ns.nspname) || '.' || quote_ident(v.relname)), v.oid`,
      [relation, columns, names],
    );
    return rows;
  });
}

/** Runs `work` with search_path = pg_catalog (pg_get_viewdef then qualifies every other name), then restores it. */
async function withCatalogSearchPath<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ path: string }>(
    "select current_setting('search_path') as path, set_config('search_path', 'pg_catalog', true)",
  );
  const restore = () =>
    client.query("select set_config('search_path', $1, true)", [rows[0]?.path ?? "pg_catalog"]);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // In an aborted transaction the restore fails too; the rollback that follows resets the setting.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return result;
}
