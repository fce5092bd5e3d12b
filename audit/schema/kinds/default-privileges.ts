// ALTER DEFAULT PRIVILEGES: the grants every future object of a kind gets, per creating role and
// schema (or every schema). One object per role, schema, kind and grantee.
import { objectKey } from "../model.ts";
import { parseAclItem } from "../normalize.ts";
import type { GlobalKind } from "./kind.ts";

export interface DefaultPrivilegeRow {
  role: string;
  schema: string | null;
  on_kind: string;
  acl: string[];
}

const OBJECT_KINDS: Record<string, string> = {
  r: "tables",
  S: "sequences",
  f: "functions",
  T: "types",
  n: "schemas",
  L: "large objects",
};

export const defaultPrivileges: GlobalKind<"defaultPrivileges", DefaultPrivilegeRow> = {
  name: "defaultPrivileges",
  scope: "global",
  query: `
select pg_get_userbyid(d.defaclrole) as role, n.nspname as schema, d.defaclobjtype::text as on_kind,
       d.defaclacl::text[] as acl
from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
  build(rows, model) {
    for (const row of rows) {
      if (row.schema !== null && !model.filter.schema(row.schema)) continue;
      const on = OBJECT_KINDS[row.on_kind] ?? row.on_kind;
      const scope = `${row.role} on ${on}${row.schema === null ? "" : ` in ${row.schema}`}`;
      const grants = new Map<string, string[]>();
      for (const item of row.acl) {
        const { grantee, privileges } = parseAclItem(item);
        grants.set(grantee, [...(grants.get(grantee) ?? []), ...privileges].sort());
      }
      for (const [grantee, privileges] of grants) {
        model.add(
          "default-privilege",
          scope,
          { role: row.role, schema: row.schema, on, grantee, privileges },
          {
            key: `default-privilege:${scope}:${grantee}`,
            ...(row.schema === null ? {} : { parent: objectKey("schema", row.schema) }),
          },
        );
      }
    }
  },
};
