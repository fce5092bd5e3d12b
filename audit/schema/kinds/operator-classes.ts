// Operator classes and operator families (CREATE OPERATOR CLASS / FAMILY), named
// `schema.name using method`. A class: its type, DEFAULT, STORAGE type and family. A family: its
// members, which is where PostgreSQL keeps a class's operators and support functions too
// (pg_amop, pg_amproc), one line each: `operator 1 public.<<<(integer,integer)`,
// `operator 1 public.<->(point,point) for order by pg_catalog.float_ops`,
// `function 1 (integer, integer) public.cmp(integer,integer)`.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import type { GlobalKind } from "./kind.ts";

export interface OperatorClassRow {
  kind: "class" | "family";
  schema: string;
  name: string;
  method: string;
  type: string | null;
  is_default: boolean | null;
  storage: string | null;
  family: string | null;
  members: string[] | null;
  owner: string;
  comment: string | null;
}

export const operatorClasses: GlobalKind<"operatorClasses", OperatorClassRow> = {
  name: "operatorClasses",
  scope: "global",
  query: `
select 'class' as kind, n.nspname as schema, oc.opcname as name, am.amname as method,
       format_type(oc.opcintype, null) as type, oc.opcdefault as is_default,
       case when oc.opckeytype <> 0 then format_type(oc.opckeytype, null) end as storage,
       fn.nspname || '.' || f.opfname || ' using ' || am.amname as family, null::text[] as members,
       pg_get_userbyid(oc.opcowner) as owner, obj_description(oc.oid, 'pg_opclass') as comment
from pg_opclass oc
join pg_namespace n on n.oid = oc.opcnamespace
join pg_am am on am.oid = oc.opcmethod
join pg_opfamily f on f.oid = oc.opcfamily
join pg_namespace fn on fn.oid = f.opfnamespace
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_opclass", "oc.oid")}
union all
select 'family', n.nspname, f.opfname, am.amname, null, null, null, null,
       array(select 'operator ' || ao.amopstrategy || ' ' || ao.amopopr::regoperator::text ||
                    case when ao.amoppurpose = 'o' then
                      ' for order by ' || (select sn.nspname || '.' || sf.opfname from pg_opfamily sf
                                           join pg_namespace sn on sn.oid = sf.opfnamespace
                                           where sf.oid = ao.amopsortfamily)
                    else '' end
               from pg_amop ao where ao.amopfamily = f.oid
             union all
             select 'function ' || ap.amprocnum || ' (' || format_type(ap.amproclefttype, null) || ', ' ||
                    format_type(ap.amprocrighttype, null) || ') ' || ap.amproc::regprocedure::text
               from pg_amproc ap where ap.amprocfamily = f.oid
             order by 1),
       pg_get_userbyid(f.opfowner), obj_description(f.oid, 'pg_opfamily')
from pg_opfamily f
join pg_namespace n on n.oid = f.opfnamespace
join pg_am am on am.oid = f.opfmethod
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_opfamily", "f.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name} using ${row.method}`;
      if (!model.keep(row.schema, name)) continue;
      const parent = objectKey("schema", row.schema);
      if (row.kind === "class") {
        model.add(
          "operator-class",
          name,
          {
            type: row.type,
            default: row.is_default,
            storage: row.storage,
            family: row.family,
            owner: row.owner,
            comment: row.comment,
          },
          { parent },
        );
      } else {
        model.add(
          "operator-family",
          name,
          { members: row.members ?? [], owner: row.owner, comment: row.comment },
          { parent },
        );
      }
    }
  },
};
