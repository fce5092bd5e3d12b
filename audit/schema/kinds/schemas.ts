// Schemas, with their comment.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import type { GlobalKind } from "./kind.ts";

export interface SchemaRow {
  oid: number;
  schema: string;
  comment: string | null;
}

export const schemas: GlobalKind<"schemas", SchemaRow> = {
  name: "schemas",
  scope: "global",
  query: `
select n.oid, n.nspname as schema, obj_description(n.oid, 'pg_namespace') as comment
from pg_namespace n
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      if (model.filter.schema(row.schema)) model.add("schema", row.schema, { comment: row.comment });
    }
  },
};
