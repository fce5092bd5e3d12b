// Enums, domains and range types (composite types are relations: see relations.ts).
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { GlobalKind } from "./kind.ts";

export interface TypeRow {
  oid: number;
  array_type: number;
  schema: string;
  name: string;
  kind: string;
  labels: string[] | null;
  base_type: string | null;
  not_null: boolean;
  default_expr: string | null;
  checks: string[] | null;
  /** Node trees of the default and of each check when they call OVERLAPS (overlaps.ts). */
  default_overlaps: string | null;
  checks_overlaps: (string | null)[] | null;
  owner: string;
  comment: string | null;
}

export const types: GlobalKind<"types", TypeRow> = {
  name: "types",
  scope: "global",
  query: `
select t.oid, n.nspname as schema, t.typname as name, t.typtype as kind,
       t.typarray as array_type,
       case when t.typtype = 'e' then
         (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid)
       end as labels,
       case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod)
            when t.typtype = 'r' then (select format_type(r.rngsubtype, null) from pg_range r where r.rngtypid = t.oid)
       end as base_type,
       t.typnotnull as not_null, t.typdefault as default_expr,
       ${overlapsTreeSql("t.typdefaultbin")} as default_overlaps,
       case when t.typtype = 'd' then
         (select array_agg(quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid) order by con.conname)
            -- NOT NULL is typnotnull; PostgreSQL 17+ also stores it here (contype n).
            from pg_constraint con where con.contypid = t.oid and con.contype <> 'n')
       end as checks,
       case when t.typtype = 'd' then
         (select array_agg(${overlapsTreeSql("con.conbin")} order by con.conname)
            from pg_constraint con where con.contypid = t.oid and con.contype <> 'n')
       end as checks_overlaps,
       pg_get_userbyid(t.typowner) as owner, d.description as comment
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
left join pg_description d on d.objoid = t.oid and d.classoid = 'pg_type'::regclass and d.objsubid = 0
where t.typtype in ('e', 'd', 'r') and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_type", "t.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name)) continue;
      const parent = objectKey("schema", row.schema);
      if (row.kind === "e") {
        model.add(
          "enum",
          name,
          { labels: row.labels ?? [], owner: row.owner, comment: row.comment },
          { parent },
        );
      } else if (row.kind === "d") {
        model.add(
          "domain",
          name,
          {
            baseType: row.base_type,
            notNull: row.not_null,
            default: normalizeExpression(canonicalOverlaps(row.default_expr, [row.default_overlaps])),
            checks: (row.checks ?? []).map(
              (check, i) =>
                normalizeExpression(canonicalOverlaps(check, [row.checks_overlaps?.[i] ?? null])) ?? check,
            ),
            owner: row.owner,
            comment: row.comment,
          },
          { parent },
        );
      } else {
        model.add(
          "type",
          name,
          { kind: "range", subtype: row.base_type, owner: row.owner, comment: row.comment },
          { parent },
        );
      }
    }
  },
};
