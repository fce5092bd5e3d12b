// Publications (logical replication): which actions they publish, FOR ALL TABLES, the root
// option, their table list and, from PostgreSQL 15, each table's column list and row filter
// (`public.t (id, email) WHERE (id > 10)`) and TABLES IN SCHEMA; from 18, whether generated
// columns are published. Before 15 those do not exist: the table list is names only and the
// schema list empty, so the same DDL reads the same on every major.
import type { GlobalKind } from "./kind.ts";
import { sorted } from "./shared.ts";

export interface PublicationRow {
  name: string;
  all_tables: boolean;
  actions: string[];
  via_root: boolean;
  tables: string[] | null;
  schemas: string[] | null;
  generated_columns: string | null;
  owner: string;
}

const TABLE_15 = `pr.prrelid::regclass::text
         || coalesce(' (' || (select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
                               from unnest(pr.prattrs::int2[]) k(attnum)
                               join pg_attribute a on a.attrelid = pr.prrelid and a.attnum = k.attnum) || ')', '')
         || coalesce(' WHERE ' || pg_get_expr(pr.prqual, pr.prrelid), '')`;

export const publications: GlobalKind<"publications", PublicationRow> = {
  name: "publications",
  scope: "global",
  query: (major) => `
select p.pubname as name, p.puballtables as all_tables,
       array_remove(array[case when p.pubinsert then 'insert' end, case when p.pubupdate then 'update' end,
                           case when p.pubdelete then 'delete' end, case when p.pubtruncate then 'truncate' end],
                    null) as actions,
       p.pubviaroot as via_root,
       (select array_agg(${major >= 15 ? TABLE_15 : "pr.prrelid::regclass::text"})
          from pg_publication_rel pr where pr.prpubid = p.oid) as tables,
       ${
         major >= 15
           ? `(select array_agg(pn.nspname::text) from pg_publication_namespace ps
                join pg_namespace pn on pn.oid = ps.pnnspid where ps.pnpubid = p.oid)`
           : "null::text[]"
       } as schemas,
       -- 18: pubgencols, 'n' (none, the default) or 's' (stored).
       case when to_jsonb(p) ->> 'pubgencols' = 's' then 'stored' end as generated_columns,
       pg_get_userbyid(p.pubowner) as owner
from pg_publication p`,
  build(rows, model) {
    for (const row of rows) {
      model.add("publication", row.name, {
        allTables: row.all_tables,
        actions: row.actions,
        viaRoot: row.via_root,
        // Sorted here: catalog order is creation order.
        tables: sorted(row.tables) ?? [],
        schemas: sorted(row.schemas) ?? [],
        ...(row.generated_columns ? { generatedColumns: row.generated_columns } : {}),
        owner: row.owner,
      });
    }
  },
};
