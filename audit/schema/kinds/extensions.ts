// Extensions, with version and schema; they stand for every object they own.
import type { GlobalKind } from "./kind.ts";

export interface ExtensionRow {
  oid: number;
  name: string;
  version: string;
  schema: string;
  owner: string;
}

export const extensions: GlobalKind<"extensions", ExtensionRow> = {
  name: "extensions",
  scope: "global",
  query: `
select x.oid, x.extname as name, x.extversion as version, n.nspname as schema,
       pg_get_userbyid(x.extowner) as owner
from pg_extension x join pg_namespace n on n.oid = x.extnamespace`,
  build(rows, model) {
    for (const row of rows) {
      if (!model.keep(row.schema, row.name)) continue;
      model.add("extension", row.name, { version: row.version, schema: row.schema, owner: row.owner });
    }
  },
};
