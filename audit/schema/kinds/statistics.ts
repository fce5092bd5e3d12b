// CREATE STATISTICS objects: their definition (kinds, columns or expressions, table) and
// statistics target.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import type { RelationKind } from "./kind.ts";
import { relationType } from "./shared.ts";

export interface StatisticsRow {
  schema: string;
  name: string;
  table_schema: string;
  table_name: string;
  table_kind: string;
  definition: string;
  target: number | null;
  owner: string;
  comment: string | null;
}

export const statistics: RelationKind<"statistics", StatisticsRow> = {
  name: "statistics",
  scope: "relation",
  relationColumns: ["table_schema", "table_name"],
  // stxstattarget: -1 is the default before PostgreSQL 17, NULL from 17.
  query: `
select n.nspname as schema, s.stxname as name, tn.nspname as table_schema, c.relname as table_name,
       c.relkind as table_kind, pg_get_statisticsobjdef(s.oid) as definition,
       nullif((to_jsonb(s) ->> 'stxstattarget')::int, -1) as target,
       pg_get_userbyid(s.stxowner) as owner, obj_description(s.oid, 'pg_statistic_ext') as comment
from pg_statistic_ext s
join pg_namespace n on n.oid = s.stxnamespace
join pg_class c on c.oid = s.stxrelid
join pg_namespace tn on tn.oid = c.relnamespace
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`,
  build(rows, model) {
    for (const row of rows) {
      const table = `${row.table_schema}.${row.table_name}`;
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name, table)) continue;
      model.add(
        "statistics",
        name,
        {
          table,
          definition: normalizeExpression(row.definition),
          target: row.target,
          owner: row.owner,
          comment: row.comment,
        },
        { parent: objectKey(relationType(row.table_kind), table) },
      );
    }
  },
};
