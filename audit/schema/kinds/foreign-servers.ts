// Foreign-data wrappers' servers and their user mappings: names, wrapper, type, version and
// options. Never a password: options named like one are left out of the query's answer, so they
// never leave the server (a user mapping's `password` in postgres_fdw, for example).
import type { GlobalKind } from "./kind.ts";

export interface ForeignServerRow {
  kind: "server" | "user mapping";
  name: string;
  server: string;
  wrapper: string;
  type: string | null;
  version: string | null;
  options: string[] | null;
  owner: string | null;
}

// pg_user_mappings hides umoptions from roles that may not see them; pg_user_mapping is for
// superusers only, so the view is read.
export const SECRET_OPTION = `(o ~* '^(password|passfile|secret|[a-z_]*_secret|[a-z_]*token[a-z_]*|sslpassword|sslkey)=')`;

export const foreignServers: GlobalKind<"foreignServers", ForeignServerRow> = {
  name: "foreignServers",
  scope: "global",
  query: `
select 'server' as kind, s.srvname as name, s.srvname as server, w.fdwname as wrapper, s.srvtype as type,
       s.srvversion as version,
       array(select o from unnest(s.srvoptions) o where not ${SECRET_OPTION} order by 1) as options,
       pg_get_userbyid(s.srvowner) as owner
from pg_foreign_server s join pg_foreign_data_wrapper w on w.oid = s.srvfdw
union all
select 'user mapping', m.usename || '@' || m.srvname, m.srvname, w.fdwname, null, null,
       array(select o from unnest(m.umoptions) o where not ${SECRET_OPTION} order by 1), null
from pg_user_mappings m
join pg_foreign_server s on s.oid = m.srvid
join pg_foreign_data_wrapper w on w.oid = s.srvfdw`,
  build(rows, model) {
    for (const row of rows) {
      if (row.kind === "server") {
        model.add("foreign-server", row.name, {
          wrapper: row.wrapper,
          type: row.type,
          version: row.version,
          options: row.options ?? [],
          owner: row.owner,
        });
      } else {
        model.add(
          "user-mapping",
          row.name,
          { options: row.options ?? [] },
          { parent: `foreign-server:${row.server}` },
        );
      }
    }
  },
};
