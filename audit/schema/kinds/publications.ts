// Publications (logical replication): which actions they publish, and their table list. Not yet
// read: PostgreSQL 15's per-table column lists and row filters, and TABLES IN SCHEMA.
import type { GlobalKind } from "./kind.ts";

export interface PublicationRow {
  name: string;
  all_tables: boolean;
  actions: string[];
  via_root: boolean;
  tables: string[] | null;
  owner: string;
}

export const publications: GlobalKind<"publications", PublicationRow> = {
  name: "publications",
  scope: "global",
  query: `
select p.pubname as name, p.puballtables as all_tables,
       array_remove(array[case when p.pubinsert then 'insert' end, case when p.pubupdate then 'update' end,
                           case when p.pubdelete then 'delete' end, case when p.pubtruncate then 'truncate' end],
                    null) as actions,
       p.pubviaroot as via_root,
       (select array_agg(pr.prrelid::regclass::text order by 1) from pg_publication_rel pr where pr.prpubid = p.oid)
         as tables,
       pg_get_userbyid(p.pubowner) as owner
from pg_publication p`,
  build(rows, model) {
    for (const row of rows) {
      model.add("publication", row.name, {
        allTables: row.all_tables,
        actions: row.actions,
        viaRoot: row.via_root,
        tables: row.tables ?? [],
        owner: row.owner,
      });
    }
  },
};
