// User-defined casts (CREATE CAST): source and target type, the function (or WITHOUT FUNCTION,
// INOUT), the context (explicit, assignment, implicit). Casts belong to no schema: one is kept
// when every user type it names is in a schema the audit reads. Built-in casts have OIDs below
// FirstNormalObjectId (16384); an extension's are its members; a type's own (range → multirange)
// depend on it internally.
import { NOT_EXTENSION_MEMBER } from "../catalog-sql.ts";
import type { GlobalKind } from "./kind.ts";

export interface CastRow {
  source: string;
  target: string;
  source_schema: string;
  target_schema: string;
  function: string | null;
  context: string;
  method: string;
  comment: string | null;
}

const CONTEXT: Record<string, string> = { e: "explicit", a: "assignment", i: "implicit" };
const METHOD: Record<string, string> = { f: "function", i: "inout", b: "binary" };

export const casts: GlobalKind<"casts", CastRow> = {
  name: "casts",
  scope: "global",
  query: `
select format_type(c.castsource, null) as source, format_type(c.casttarget, null) as target,
       sn.nspname as source_schema, tn.nspname as target_schema,
       nullif(c.castfunc, 0)::regprocedure::text as function, c.castcontext as context,
       c.castmethod as method, obj_description(c.oid, 'pg_cast') as comment
from pg_cast c
join pg_type s on s.oid = c.castsource join pg_namespace sn on sn.oid = s.typnamespace
join pg_type t on t.oid = c.casttarget join pg_namespace tn on tn.oid = t.typnamespace
where c.oid >= 16384 and ${NOT_EXTENSION_MEMBER("pg_cast", "c.oid")}
  -- Casts the server made for a type (range → multirange, from 14) go with the type.
  and c.oid not in (select i.objid from pg_depend i where i.classid = 'pg_cast'::regclass and i.deptype = 'i')`,
  build(rows, model) {
    for (const row of rows) {
      const schemas = [row.source_schema, row.target_schema].filter((schema) => schema !== "pg_catalog");
      if (!schemas.every((schema) => model.filter.schema(schema))) continue;
      const name = `(${row.source} as ${row.target})`;
      if (!model.filter.object([name])) continue;
      model.add("cast", name, {
        function: row.function,
        context: CONTEXT[row.context] ?? row.context,
        method: METHOD[row.method] ?? row.method,
        comment: row.comment,
      });
    }
  },
};
