// Row-level security policies.
import { USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { RelationKind } from "./kind.ts";

export interface PolicyRow {
  schema: string;
  relation: string;
  name: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using_expr: string | null;
  check_expr: string | null;
  /** The expressions' node trees when they call OVERLAPS (overlaps.ts). */
  using_overlaps: string | null;
  check_overlaps: string | null;
}

const POLICY_COMMANDS: Record<string, string> = {
  r: "SELECT",
  a: "INSERT",
  w: "UPDATE",
  d: "DELETE",
  "*": "ALL",
};

export const policies: RelationKind<"policies", PolicyRow> = {
  name: "policies",
  scope: "relation",
  relationColumns: ["schema", "relation"],
  digestTrees: ["using_overlaps", "check_overlaps"],
  query: `
select n.nspname as schema, c.relname as relation, p.polname as name, p.polcmd as command,
       p.polpermissive as permissive,
       -- text[], not name[]: pg hands name[] over as one '{a,b}' string.
       array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end
               from unnest(p.polroles) r order by 1) as roles,
       pg_get_expr(p.polqual, p.polrelid) as using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) as check_expr,
       ${overlapsTreeSql("p.polqual")} as using_overlaps, ${overlapsTreeSql("p.polwithcheck")} as check_overlaps
from pg_policy p
join pg_class c on c.oid = p.polrelid
join pg_namespace n on n.oid = c.relnamespace
where ${USER_SCHEMA("n")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`,
  build(rows, model) {
    for (const row of rows) {
      const relation = `${row.schema}.${row.relation}`;
      const name = `${relation}.${row.name}`;
      if (!model.keep(row.schema, name, relation)) continue;
      model.add(
        "policy",
        name,
        {
          command: POLICY_COMMANDS[row.command] ?? row.command,
          permissive: row.permissive ? "permissive" : "restrictive",
          roles: row.roles,
          using: normalizeExpression(canonicalOverlaps(row.using_expr, [row.using_overlaps])),
          withCheck: normalizeExpression(canonicalOverlaps(row.check_expr, [row.check_overlaps])),
        },
        { parent: objectKey("table", relation) },
      );
    }
  },
};
