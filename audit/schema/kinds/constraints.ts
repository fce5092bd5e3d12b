// Table constraints: primary key, unique, check, foreign key, exclusion, constraint trigger.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { RelationKind } from "./kind.ts";
import { relationType } from "./shared.ts";

export interface ConstraintRow {
  schema: string;
  relation: string;
  kind: string;
  name: string;
  type: string;
  definition: string;
  /** Node trees of the definition's expressions when they call OVERLAPS (overlaps.ts). */
  overlaps: (string | null)[];
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  comment: string | null;
}

const CONSTRAINT_TYPES: Record<string, string> = {
  p: "primary key",
  u: "unique",
  c: "check",
  f: "foreign key",
  x: "exclusion",
  t: "constraint trigger",
};

export const constraints: RelationKind<"constraints", ConstraintRow> = {
  name: "constraints",
  scope: "relation",
  relationColumns: ["schema", "relation"],
  digestTrees: ["overlaps"],
  // Left out: NOT NULL, which PostgreSQL 18 also stores here (contype n) and the model keeps as
  // the column's notNull on every major; and foreign keys cloned for partitions (conparentid
  // <> 0), implied by the parent's and named in partition-creation order (…_fkey1, …_fkey2),
  // so two identical databases could name them differently.
  query: `
select n.nspname as schema, c.relname as relation, c.relkind as kind, con.conname as name,
       con.contype as type, pg_get_constraintdef(con.oid) as definition,
       -- An exclusion constraint's expressions and predicate are its index's.
       array[${overlapsTreeSql("con.conbin")}, ${overlapsTreeSql("xi.indexprs")}, ${overlapsTreeSql("xi.indpred")}] as overlaps,
       con.condeferrable as deferrable, con.condeferred as deferred, con.convalidated as validated,
       d.description as comment
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_index xi on con.contype = 'x' and xi.indexrelid = con.conindid
left join pg_description d on d.objoid = con.oid and d.classoid = 'pg_constraint'::regclass
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and con.contype <> 'n' and (con.contype <> 'f' or con.conparentid = 0)
  and ($1::oid[] is null or c.oid = any($1::oid[]))`,
  build(rows, model) {
    for (const row of rows) {
      const relation = `${row.schema}.${row.relation}`;
      const name = `${relation}.${row.name}`;
      if (!model.keep(row.schema, name, relation)) continue;
      model.add(
        "constraint",
        name,
        {
          type: CONSTRAINT_TYPES[row.type] ?? row.type,
          definition: normalizeExpression(canonicalOverlaps(row.definition, row.overlaps)),
          deferrable: row.deferrable,
          initiallyDeferred: row.deferred,
          validated: row.validated,
          comment: row.comment,
        },
        { parent: objectKey(relationType(row.kind), relation) },
      );
    }
  },
};
