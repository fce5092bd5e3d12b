// Grants on tables, views, sequences, their columns, schemas and functions, where they differ
// from the built-in default.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { parseAclItem } from "../normalize.ts";
import type { ModelBuilder, RelationKind } from "./kind.ts";
import { relationType } from "./shared.ts";

export interface PrivilegeRow {
  on_kind: string;
  relkind: string | null;
  name: string;
  owner: string;
  acl: string[];
  default_acl: string[];
  initial: boolean;
  /** The relation's schema and name, for grants on a relation or its columns; otherwise null. */
  relation_schema: string | null;
  relation_name: string | null;
}

export const privileges: RelationKind<"privileges", PrivilegeRow> = {
  name: "privileges",
  scope: "relation",
  relationColumns: ["relation_schema", "relation_name"],
  // Only objects with an explicit ACL: a NULL ACL means the built-in default, the same
  // everywhere. The default is sent along so the model can keep just the entries that differ.
  query: `
select case when c.relkind = 'S' then 'sequence' else 'table' end as on_kind, c.relkind::text as relkind,
       n.nspname || '.' || c.relname as name, pg_get_userbyid(c.relowner) as owner,
       c.relacl::text[] as acl,
       acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner)::text[] as default_acl,
       false as initial,
       -- The relation a grant lives on, for the name-keyed digests (paired-read/digests.ts).
       n.nspname as relation_schema, c.relname as relation_name
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relacl is not null and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))
union all
select 'column', c.relkind::text, n.nspname || '.' || c.relname || '.' || a.attname,
       pg_get_userbyid(c.relowner), a.attacl::text[], '{}'::text[], false, n.nspname, c.relname
from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
where a.attacl is not null and a.attnum > 0 and not a.attisdropped and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))
union all
select 'schema', null, n.nspname, pg_get_userbyid(n.nspowner), n.nspacl::text[],
       acldefault('n'::"char", n.nspowner)::text[],
       -- Still as initdb left it (the public schema: PUBLIC may CREATE before 15, not from 15).
       coalesce(n.nspacl = (select ip.initprivs from pg_init_privs ip
                             where ip.objoid = n.oid and ip.classoid = 'pg_namespace'::regclass
                               and ip.objsubid = 0), false),
       null, null
from pg_namespace n
where n.nspacl is not null and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")}
union all
select 'function', p.prokind::text, n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
       pg_get_userbyid(p.proowner), p.proacl::text[], acldefault('f'::"char", p.proowner)::text[], false,
       null, null
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where p.proacl is not null and p.prokind in ('f', 'p', 'w') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}`,
  build(rows, model) {
    for (const row of rows) addGrants(row, model);
  },
};

function addGrants(row: PrivilegeRow, model: ModelBuilder) {
  const dot = row.name.indexOf(".");
  const schema = row.on_kind === "schema" ? row.name : row.name.slice(0, dot);
  let relation = row.name;
  let parent: string;
  if (row.on_kind === "function") {
    relation = row.name.slice(0, row.name.indexOf("("));
    parent = objectKey(row.relkind === "p" ? "procedure" : "function", row.name);
  } else if (row.on_kind === "schema") {
    parent = objectKey("schema", row.name);
  } else if (row.on_kind === "column") {
    relation = row.name.slice(0, row.name.lastIndexOf("."));
    // View columns are not objects of their own: their grants go with the view.
    const kind = row.relkind ?? "r";
    parent =
      kind === "v" || kind === "m" ? objectKey(relationType(kind), relation) : objectKey("column", row.name);
  } else {
    parent = objectKey(row.on_kind === "sequence" ? "sequence" : relationType(row.relkind ?? "r"), row.name);
  }
  if (row.on_kind === "schema" ? !model.filter.schema(schema) : !model.keep(schema, row.name, relation))
    return;
  const actual = grantsByGrantee(row.acl);
  const defaults = grantsByGrantee(row.default_acl);
  for (const grantee of new Set([...actual.keys(), ...defaults.keys()])) {
    const granted = actual.get(grantee) ?? [];
    if (granted.join(",") === (defaults.get(grantee) ?? []).join(",")) continue;
    model.add(
      "privilege",
      row.name,
      { on: row.on_kind, grantee, privileges: granted },
      {
        key: `privilege:${row.name}:${grantee}`,
        parent,
        ...(row.initial ? { origin: "initdb" as const } : {}),
      },
    );
  }
}

function grantsByGrantee(acl: readonly string[]): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const item of acl) {
    const { grantee, privileges } = parseAclItem(item);
    grants.set(grantee, [...(grants.get(grantee) ?? []), ...privileges].sort());
  }
  return grants;
}
