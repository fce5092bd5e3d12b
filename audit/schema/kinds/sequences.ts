// Sequences that users manage (identity sequences are part of their column's identity).
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import type { RelationKind } from "./kind.ts";

export interface SequenceRow {
  schema: string;
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  owner_kind: string | null;
  owner: string | null;
  owner_role: string;
  comment: string | null;
}

export const sequences: RelationKind<"sequences", SequenceRow> = {
  name: "sequences",
  scope: "relation",
  relationColumns: ["schema", "name"],
  query: `
select n.nspname as schema, c.relname as name, format_type(s.seqtypid, null) as type,
       s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min,
       s.seqmax::text as max, s.seqcache::text as cache, s.seqcycle as cycle,
       o.deptype as owner_kind, o.owner, pg_get_userbyid(c.relowner) as owner_role,
       d.description as comment
from pg_sequence s
join pg_class c on c.oid = s.seqrelid
join pg_namespace n on n.oid = c.relnamespace
left join lateral (
  select dep.deptype, dn.nspname || '.' || dc.relname || '.' || da.attname as owner
  from pg_depend dep
  join pg_class dc on dc.oid = dep.refobjid
  join pg_namespace dn on dn.oid = dc.relnamespace
  join pg_attribute da on da.attrelid = dep.refobjid and da.attnum = dep.refobjsubid
  where dep.classid = 'pg_class'::regclass and dep.objid = c.oid
    and dep.refclassid = 'pg_class'::regclass and dep.deptype in ('a', 'i')
  limit 1) o on true
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`,
  build(rows, model) {
    for (const row of rows) {
      // Identity sequences are part of their column's identity, not objects users manage.
      if (row.owner_kind === "i") continue;
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name)) continue;
      model.add(
        "sequence",
        name,
        {
          type: row.type,
          start: row.start,
          increment: row.increment,
          min: row.min,
          max: row.max,
          cache: row.cache,
          cycle: row.cycle,
          ownedBy: row.owner,
          owner: row.owner_role,
          comment: row.comment,
        },
        { parent: objectKey("schema", row.schema) },
      );
    }
  },
};
