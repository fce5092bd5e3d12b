// What each view and materialized view is built on (from its rewrite rule), as dependsOn of
// the view: a change to any of it makes the view a dependent. Adds no objects of its own.
import { USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey, type SchemaObject } from "../model.ts";
import type { RelationKind } from "./kind.ts";
import { relationType, TYPE_KINDS } from "./shared.ts";

export interface ViewDependencyRow {
  view_name: string;
  view_schema: string;
  view_relation: string;
  view_kind: string;
  ref_catalog: string;
  ref_name: string;
  ref_kind: string | null;
  ref_type_kind: string | null;
  ref_proc_kind: string | null;
  ref_column: string | null;
}

export const viewDependencies: RelationKind<"viewDependencies", ViewDependencyRow> = {
  name: "viewDependencies",
  scope: "relation",
  relationColumns: ["view_schema", "view_relation"],
  query: `
select distinct vn.nspname || '.' || v.relname as view_name, v.relkind as view_kind,
       vn.nspname as view_schema, v.relname as view_relation,
       case d.refclassid
         when 'pg_class'::regclass then 'class'
         when 'pg_type'::regclass then 'type'
         when 'pg_proc'::regclass then 'proc' end as ref_catalog,
       coalesce(rn.nspname || '.' || rc.relname, tn.nspname || '.' || t.typname,
                pn.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')') as ref_name,
       rc.relkind as ref_kind, t.typtype as ref_type_kind, p.prokind as ref_proc_kind, ra.attname as ref_column
from pg_rewrite r
join pg_class v on v.oid = r.ev_class
join pg_namespace vn on vn.oid = v.relnamespace
join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.deptype = 'n'
left join pg_class rc on d.refclassid = 'pg_class'::regclass and rc.oid = d.refobjid
left join pg_namespace rn on rn.oid = rc.relnamespace
left join pg_attribute ra on ra.attrelid = rc.oid and ra.attnum = d.refobjsubid and d.refobjsubid > 0
left join pg_type t on d.refclassid = 'pg_type'::regclass and t.oid = d.refobjid
left join pg_namespace tn on tn.oid = t.typnamespace
left join pg_proc p on d.refclassid = 'pg_proc'::regclass and p.oid = d.refobjid
left join pg_namespace pn on pn.oid = p.pronamespace
where v.relkind in ('v', 'm') and ${USER_SCHEMA("vn")}
  and d.refobjid <> r.ev_class
  and coalesce(rn.nspname, tn.nspname, pn.nspname) is not null
  and coalesce(rn.nspname, tn.nspname, pn.nspname) not in ('pg_catalog', 'information_schema')
  and ($1::oid[] is null or v.oid = any($1::oid[]))`,
  // Views read light are named as dependents too, so what they are built on is read for them.
  parameters: ({ withLight }) => [withLight],
  build(rows, model) {
    const dependencies = new Map<SchemaObject, Set<string>>();
    for (const row of rows) {
      const view = model.objects[objectKey(relationType(row.view_kind), row.view_name)];
      if (!view) continue;
      const key = referenceKey(row, model.objects);
      if (!key) continue;
      let set = dependencies.get(view);
      if (!set) {
        set = new Set(view.dependsOn ?? []);
        dependencies.set(view, set);
      }
      set.add(key);
    }
    for (const [view, set] of dependencies) view.dependsOn = [...set].sort();
  },
};

function referenceKey(row: ViewDependencyRow, objects: Record<string, SchemaObject>): string | undefined {
  if (row.ref_catalog === "class") {
    const relationKey = objectKey(relationType(row.ref_kind ?? "r"), row.ref_name);
    const columnKey = row.ref_column ? objectKey("column", `${row.ref_name}.${row.ref_column}`) : undefined;
    return columnKey && objects[columnKey] ? columnKey : relationKey;
  }
  if (row.ref_catalog === "type")
    return objectKey(TYPE_KINDS[row.ref_type_kind ?? "c"] ?? "type", row.ref_name);
  if (row.ref_catalog === "proc") {
    return objectKey(row.ref_proc_kind === "p" ? "procedure" : "function", row.ref_name);
  }
  return undefined;
}
