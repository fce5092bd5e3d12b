// Schemas, with their comment.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import type { GlobalKind } from "./kind.ts";

export interface SchemaRow {
  oid: number;
  schema: string;
  /** null: the public schema, owned as initdb made it. */
  owner: string | null;
  comment: string | null;
}

export const schemas: GlobalKind<"schemas", SchemaRow> = {
  name: "schemas",
  scope: "global",
  query: `
select n.oid, n.nspname as schema,
       -- The public schema's owner as initdb made it (the bootstrap superuser before 15,
       -- pg_database_owner from 15) is no owner anyone chose: null on every major.
       case when n.nspname = 'public'
             and n.nspowner = case when current_setting('server_version_num')::int >= 150000 then 6171 else 10 end
            then null else pg_get_userbyid(n.nspowner) end as owner,
       obj_description(n.oid, 'pg_namespace') as comment
from pg_namespace n
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      if (model.filter.schema(row.schema))
        model.add("schema", row.schema, { owner: row.owner, comment: row.comment });
    }
  },
};
