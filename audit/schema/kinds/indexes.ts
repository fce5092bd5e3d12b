// Indexes, with their full definition (which names the access method: USING btree) and the
// tablespace they are in when it is not the database's own (pg_get_indexdef leaves it out).
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { ConstraintRow } from "./constraints.ts";
import type { RelationKind } from "./kind.ts";
import { relationType } from "./shared.ts";

export interface IndexRow {
  schema: string;
  name: string;
  table_schema: string;
  table_name: string;
  table_kind: string;
  definition: string | null;
  /** Node trees of the key expressions and the predicate when they call OVERLAPS (overlaps.ts). */
  overlaps: (string | null)[];
  constraint_name: string | null;
  valid: boolean;
  tablespace: string | null;
  comment: string | null;
}

export const indexes: RelationKind<"indexes", IndexRow> = {
  name: "indexes",
  scope: "relation",
  relationColumns: ["table_schema", "table_name"],
  digestTrees: ["overlaps"],
  // pg_get_indexdef is the costliest call here (about 20 µs an index); an index that backs a
  // primary key or unique constraint is fully described by its constraint's definition, which
  // the constraints query deparses anyway, so only the others are deparsed here
  // (see constraintIndexDefinition).
  query: `
select n.nspname as schema, ic.relname as name, tn.nspname as table_schema, tc.relname as table_name,
       tc.relkind as table_kind,
       case when con.contype in ('p', 'u') then null else pg_get_indexdef(i.indexrelid) end as definition,
       array[${overlapsTreeSql("i.indexprs")}, ${overlapsTreeSql("i.indpred")}] as overlaps,
       con.conname as constraint_name,
       i.indisvalid as valid, ts.spcname as tablespace, d.description as comment
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_namespace n on n.oid = ic.relnamespace
join pg_class tc on tc.oid = i.indrelid
join pg_namespace tn on tn.oid = tc.relnamespace
left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u')
left join pg_tablespace ts on ts.oid = ic.reltablespace
left join pg_description d on d.objoid = ic.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "tc.oid")}
  and ($1::oid[] is null or tc.oid = any($1::oid[]))`,
  build(rows, model) {
    // Definitions of PRIMARY KEY / UNIQUE constraints, for the indexes behind them.
    const constraintDefinitions = new Map<string, string>();
    for (const row of (model.rows.constraints ?? []) as readonly ConstraintRow[]) {
      if (row.type === "p" || row.type === "u") {
        constraintDefinitions.set(`${row.schema}.${row.relation}.${row.name}`, row.definition);
      }
    }
    for (const row of rows) {
      const table = `${row.table_schema}.${row.table_name}`;
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name, table)) continue;
      model.add(
        "index",
        name,
        {
          table,
          definition: normalizeExpression(
            canonicalOverlaps(row.definition, row.overlaps) ??
              constraintIndexDefinition(
                row.name,
                table,
                constraintDefinitions.get(`${table}.${row.constraint_name}`) ?? "",
              ),
          ),
          valid: row.valid,
          tablespace: row.tablespace,
          comment: row.comment,
        },
        { parent: objectKey(relationType(row.table_kind), table) },
      );
    }
  },
};

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * The CREATE INDEX statement of the index behind a PRIMARY KEY or UNIQUE constraint, from the
 * constraint's definition: always btree, plain columns, optional INCLUDE / WITH / NULLS NOT
 * DISTINCT; deferrability belongs to the constraint and is left out.
 */
export function constraintIndexDefinition(index: string, table: string, constraint: string): string {
  const body = constraint
    .replace(/^(PRIMARY KEY|UNIQUE)\s+/, "")
    .replace(/\s+(NOT )?DEFERRABLE.*$/s, "")
    .replace(/\s+INITIALLY (DEFERRED|IMMEDIATE).*$/s, "");
  const [schema, ...rest] = table.split(".");
  return `CREATE UNIQUE INDEX ${quoteName(index)} ON ${quoteName(schema ?? "")}.${quoteName(rest.join("."))} USING btree ${body}`;
}
