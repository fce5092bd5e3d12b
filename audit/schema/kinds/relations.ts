// Tables (ordinary, partitioned, foreign), views, materialized views and composite types.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression, normalizeViewDefinition } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import { SECRET_OPTION } from "./foreign-servers.ts";
import type { RelationKind } from "./kind.ts";
import { relationType, sorted } from "./shared.ts";

export interface RelationRow {
  schema: string;
  name: string;
  kind: string;
  persistence: string;
  is_partition: boolean;
  partition_bound: string | null;
  partition_key: string | null;
  /** The partition key's expressions' node tree when they call OVERLAPS (overlaps.ts). */
  partition_key_overlaps: string | null;
  view_definition: string | null;
  /** A view or materialized view read in full: its definition is filled in by readViewDefinitions. */
  deparse_view: boolean;
  oid: string;
  options: string[] | null;
  rls_enabled: boolean;
  rls_forced: boolean;
  replica_identity: string;
  replica_identity_index: string | null;
  parents: string[] | null;
  owner: string;
  foreign_server: string | null;
  access_method: string | null;
  tablespace: string | null;
  foreign_options: string[] | null;
  comment: string | null;
}

const TABLE_KINDS: Record<string, string> = { r: "ordinary", p: "partitioned", f: "foreign" };
const PERSISTENCE: Record<string, string> = { p: "permanent", u: "unlogged", t: "temporary" };
const REPLICA_IDENTITY: Record<string, string> = { d: "default", n: "nothing", f: "full" };

/** REPLICA IDENTITY: what logical replication sends of an updated or deleted row. */
function replicaIdentity(row: RelationRow): string {
  if (row.replica_identity === "i") return `index ${row.replica_identity_index ?? "?"}`;
  return REPLICA_IDENTITY[row.replica_identity] ?? row.replica_identity;
}

export const relations: RelationKind<"relations", RelationRow> = {
  name: "relations",
  scope: "relation",
  relationColumns: ["schema", "name"],
  digestTrees: ["partition_key_overlaps"],
  digestExcludes: ["oid"],
  // $2: relations read light. Of those only views and materialized views, which can be named as
  // dependents themselves, and nothing deparsed: they are the same on every side.
  query: `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.relpersistence as persistence,
       c.relispartition as is_partition,
       case when c.relispartition and light.oid is null then pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
       case when c.relkind = 'p' and light.oid is null then pg_get_partkeydef(c.oid) end as partition_key,
       case when c.relkind = 'p' and light.oid is null then
         (select ${overlapsTreeSql("pt.partexprs")} from pg_partitioned_table pt where pt.partrelid = c.oid)
       end as partition_key_overlaps,
       -- Deparsed afterwards, in batches that give back their locks (view-definitions.ts).
       null::text as view_definition,
       c.relkind in ('v', 'm') and light.oid is null as deparse_view, c.oid::int8 as oid,
       c.reloptions as options, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
       c.relreplident as replica_identity,
       (select ri.relname from pg_index i join pg_class ri on ri.oid = i.indexrelid
         where i.indrelid = c.oid and i.indisreplident) as replica_identity_index,
       (select array_agg(pn.nspname || '.' || p.relname order by i.inhseqno)
          from pg_inherits i join pg_class p on p.oid = i.inhparent
          join pg_namespace pn on pn.oid = p.relnamespace
         where i.inhrelid = c.oid) as parents,
       pg_get_userbyid(c.relowner) as owner, fs.srvname as foreign_server,
       -- Only where not the default: heap, the database's tablespace (0).
       case when am.amname <> 'heap' then am.amname end as access_method, ts.spcname as tablespace, case when ft.ftrelid is not null then
         array(select o from unnest(ft.ftoptions) o where not ${SECRET_OPTION} order by 1) end as foreign_options,
       d.description as comment
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
left join pg_am am on am.oid = c.relam
left join pg_tablespace ts on ts.oid = c.reltablespace
left join pg_foreign_table ft on ft.ftrelid = c.oid
left join pg_foreign_server fs on fs.oid = ft.ftserver
left join unnest($2::oid[]) as light(oid) on light.oid = c.oid
where c.relkind in ('r', 'p', 'f', 'v', 'm', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and (c.relkind <> 'c' or ${NOT_EXTENSION_MEMBER("pg_type", "c.reltype")})
  and ($1::oid[] is null or c.oid = any($1::oid[]) or (c.relkind in ('v', 'm') and light.oid is not null))`,
  parameters: ({ full, light }) => [full, light],
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name)) continue;
      const objectType = relationType(row.kind);
      const parent = objectKey("schema", row.schema);
      if (objectType === "view" || objectType === "materialized-view") {
        model.add(
          objectType,
          name,
          {
            definition: normalizeViewDefinition(row.view_definition),
            options: sorted(row.options),
            // A materialized view has storage: where it is not the default (heap, the database's tablespace).
            ...(objectType === "materialized-view"
              ? { accessMethod: row.access_method, tablespace: row.tablespace }
              : {}),
            owner: row.owner,
            comment: row.comment,
          },
          { parent },
        );
      } else if (objectType === "type") {
        model.add(
          objectType,
          name,
          { kind: "composite", owner: row.owner, comment: row.comment },
          { parent },
        );
      } else {
        model.add(
          objectType,
          name,
          {
            kind: TABLE_KINDS[row.kind] ?? row.kind,
            persistence: PERSISTENCE[row.persistence] ?? row.persistence,
            partitionKey: normalizeExpression(
              canonicalOverlaps(row.partition_key, [row.partition_key_overlaps]),
            ),
            partitionOf: row.is_partition ? (row.parents?.[0] ?? null) : null,
            partitionBound: normalizeExpression(row.partition_bound),
            inherits: row.is_partition ? null : row.parents,
            options: sorted(row.options),
            rowSecurity: row.rls_enabled,
            forceRowSecurity: row.rls_forced,
            replicaIdentity: replicaIdentity(row),
            accessMethod: row.access_method,
            tablespace: row.tablespace,
            owner: row.owner,
            comment: row.comment,
            // A foreign table's server and options (schema_name, table_name, …).
            ...(row.kind === "f"
              ? { server: row.foreign_server, foreignOptions: sorted(row.foreign_options) ?? [] }
              : {}),
          },
          { parent },
        );
      }
    }
  },
};
