// Columns of tables and composite types: type, collation, NOT NULL, default, identity, generated.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import { SECRET_OPTION } from "./foreign-servers.ts";
import type { RelationKind } from "./kind.ts";
import { relationType, sorted, TYPE_KINDS } from "./shared.ts";

export interface ColumnRow {
  schema: string;
  relation: string;
  kind: string;
  name: string;
  type: string;
  collation: string | null;
  user_collation: boolean | null;
  not_null: boolean;
  /** PostgreSQL 18+: the NOT NULL constraint's name, validation, NO INHERIT and inheritance count. */
  not_null_name: string | null;
  not_null_validated: boolean | null;
  not_null_no_inherit: boolean | null;
  not_null_inherited: boolean | null;
  default_expr: string | null;
  /** The default's node tree when it calls OVERLAPS (overlaps.ts). */
  default_overlaps: string | null;
  identity: string;
  generated: string;
  inherited: boolean;
  of_partition: boolean;
  storage: string | null;
  compression: string | null;
  statistics_target: number | null;
  identity_options: string | null;
  base_type_schema: string;
  base_type_name: string;
  base_type_kind: string;
  fdw_options: string[] | null;
  comment: string | null;
}

// A column as the model sees it, for the two queries below (each says which rows of pg_attribute `a`).
// `compression` and `statisticsTarget` are the major-dependent fields: read directly per major
// (the light query's generic form goes through to_jsonb of the whole row): serializing every pg_attribute row to JSON was two thirds of the column query's time
// (1.2 s of 1.6 s at 22,000 columns, measured on PostgreSQL 15).
const GENERIC_FIELDS = {
  compression: "nullif(to_jsonb(a) ->> 'attcompression', '')",
  statisticsTarget: "nullif((to_jsonb(a) ->> 'attstattarget')::int, -1)",
};

function fieldsFor(major: number): typeof GENERIC_FIELDS {
  return {
    // attcompression is 14+ ('\0', i.e. '', for the default).
    compression: major >= 14 ? "nullif(a.attcompression::text, '')" : "null::text",
    // -1 for the default before 17, NULL from 17: nullif covers both.
    statisticsTarget: "nullif(a.attstattarget::int, -1)",
  };
}

const columnFields = (fields: typeof GENERIC_FIELDS) => `
       n.nspname as schema, c.relname as relation, c.relkind as kind, a.attname as name,
       format_type(a.atttypid, a.atttypmod) as type,
       case when a.attcollation <> t.typcollation then
         case when cn.nspname = 'pg_catalog' then quote_ident(co.collname)
              else cn.nspname || '.' || co.collname end end as collation,
       cn.nspname <> 'pg_catalog' as user_collation,
       a.attnotnull as not_null,
       nn.conname as not_null_name, nn.convalidated as not_null_validated,
       nn.connoinherit as not_null_no_inherit, nn.coninhcount > 0 as not_null_inherited,
       a.attidentity as identity, a.attgenerated as generated, a.attinhcount > 0 as inherited,
       c.relispartition as of_partition,
       -- Only where they differ from the default: the type's storage, the default compression,
       -- the default statistics target (-1 before PostgreSQL 17, NULL from 17). attcompression
       -- is 14+, read through JSON so one query serves 13.
       case when a.attstorage <> t.typstorage then a.attstorage::text end as storage,
       ${fields.compression} as compression,
       ${fields.statisticsTarget} as statistics_target,
       case when a.attidentity <> '' then
         (select concat_ws(' ', 'start', s.seqstart, 'increment', s.seqincrement, 'minvalue', s.seqmin,
                           'maxvalue', s.seqmax, 'cache', s.seqcache, case when s.seqcycle then 'cycle' else 'no cycle' end)
            from pg_depend dep join pg_sequence s on s.seqrelid = dep.objid
           where dep.refclassid = 'pg_class'::regclass and dep.refobjid = a.attrelid
             and dep.refobjsubid = a.attnum and dep.classid = 'pg_class'::regclass and dep.deptype = 'i'
           limit 1) end as identity_options,
       bn.nspname as base_type_schema, bt.typname as base_type_name, bt.typtype as base_type_kind,
       case when a.attfdwoptions is not null then
         array(select o from unnest(a.attfdwoptions) o where not ${SECRET_OPTION} order by 1) end as fdw_options, d.description as comment`;
// PostgreSQL 18 keeps NOT NULL as a constraint (contype n) with its own name; before, contype n
// is a domain's (no conrelid), so the join finds nothing and one query serves every major.
const COLUMN_JOINS = `
join pg_class c on c.oid = a.attrelid
left join pg_constraint nn on nn.conrelid = a.attrelid and nn.contype = 'n' and nn.conkey[1] = a.attnum
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
join pg_type bt on bt.oid = case when t.typcategory = 'A' and t.typelem <> 0 then t.typelem else t.oid end
join pg_namespace bn on bn.oid = bt.typnamespace
left join pg_collation co on co.oid = a.attcollation
left join pg_namespace cn on cn.oid = co.collnamespace
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum`;

const STORAGE: Record<string, string> = { p: "plain", e: "external", m: "main", x: "extended" };
const COMPRESSION: Record<string, string> = { p: "pglz", l: "lz4" };

const fullQuery = (fields: typeof GENERIC_FIELDS) => `
select ${columnFields(fields)},
       -- A default cannot name a column, so it needs no relation to deparse (0): with one,
       -- pg_get_expr opens the relation, a relation cache entry built per table in a fresh
       -- backend (~40% of this query there). A generated column's expression names columns.
       pg_get_expr(ad.adbin, case when a.attgenerated = '' then 0 else ad.adrelid end) as default_expr,
       ${overlapsTreeSql("ad.adbin")} as default_overlaps
from pg_attribute a ${COLUMN_JOINS}
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'f', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`;

// For relations read light, only the columns something can depend on through the model: those
// of a type or collation that is not pinned, which pg_depend records for the column. Nothing
// else of such a relation can differ, or be named as a dependent.
const lightQuery = (fields: typeof GENERIC_FIELDS) => `
select ${columnFields(fields)},
       null::text as default_expr, null::text as default_overlaps
from (select distinct dep.objid, dep.objsubid
      from unnest($1::oid[]) as light(oid),
      -- offset 0: one probe of pg_depend's depender index per relation, not a scan of every
      -- column's type dependency in the database.
      lateral (select dep.objid, dep.objsubid from pg_depend dep
               where dep.classid = 'pg_class'::regclass and dep.objid = light.oid and dep.objsubid > 0
                 and dep.refclassid in ('pg_type'::regclass, 'pg_collation'::regclass) offset 0) dep) typed
join pg_attribute a on a.attrelid = typed.objid and a.attnum = typed.objsubid ${COLUMN_JOINS}
where not a.attisdropped and c.relkind in ('r', 'p', 'f', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`;

export const columns: RelationKind<"columns", ColumnRow> = {
  name: "columns",
  scope: "relation",
  relationColumns: ["schema", "relation"],
  digestTrees: ["default_overlaps"],
  query: (major) => fullQuery(fieldsFor(major)),
  lightQuery: lightQuery(GENERIC_FIELDS),
  lightQueryFor: (major) => lightQuery(fieldsFor(major)),
  build(rows, model) {
    for (const row of rows) {
      const relation = `${row.schema}.${row.relation}`;
      const name = `${relation}.${row.name}`;
      if (!model.keep(row.schema, name, relation)) continue;
      // s: stored; v: virtual (PostgreSQL 18+).
      const generated = row.generated === "s" || row.generated === "v";
      const expression = normalizeExpression(canonicalOverlaps(row.default_expr, [row.default_overlaps]));
      // PostgreSQL 17+ copies an identity onto the partitions' columns; it is the parent's.
      const identity = row.of_partition && row.inherited ? "" : row.identity;
      const dependsOn: string[] = [];
      const typeKind = TYPE_KINDS[row.base_type_kind];
      if (
        typeKind &&
        row.base_type_schema !== "pg_catalog" &&
        row.base_type_schema !== "information_schema"
      ) {
        dependsOn.push(objectKey(typeKind, `${row.base_type_schema}.${row.base_type_name}`));
      }
      if (row.collation && row.user_collation) dependsOn.push(objectKey("collation", row.collation));
      model.add(
        "column",
        name,
        {
          type: row.type,
          collation: row.collation,
          notNull: row.not_null,
          default: generated ? null : expression,
          identity: identity === "a" ? "always" : identity === "d" ? "by default" : null,
          // START, INCREMENT, MINVALUE, MAXVALUE, CACHE, CYCLE of the identity's sequence.
          identityOptions: identity === "" ? null : row.identity_options,
          generated: generated ? expression : null,
          inherited: row.inherited,
          storage: row.storage === null ? null : (STORAGE[row.storage] ?? row.storage),
          compression: row.compression === null ? null : (COMPRESSION[row.compression] ?? row.compression),
          statisticsTarget: row.statistics_target,
          comment: row.comment,
          // PostgreSQL 18's NOT NULL constraint, only where it is not what every major has: a
          // name other than the one PostgreSQL gives (<table>_<column>_not_null), except on an
          // inherited constraint (named after the parent's); NOT VALID; NO INHERIT.
          ...(row.not_null_name &&
          !row.not_null_inherited &&
          row.not_null_name !== defaultNotNullName(row.relation, row.name, row.not_null_name)
            ? { notNullName: row.not_null_name }
            : {}),
          ...(row.not_null_validated === false ? { notNullValid: false } : {}),
          ...(row.not_null_no_inherit ? { notNullNoInherit: true } : {}),
          // Only where it is so, to keep every other column's props as they were.
          ...(row.generated === "v" ? { generatedKind: "virtual" } : {}),
          // A foreign table's column options (column_name, …), also only where given.
          ...(row.fdw_options ? { fdwOptions: sorted(row.fdw_options) } : {}),
        },
        { parent: objectKey(relationType(row.kind), relation), dependsOn },
      );
    }
  },
};

const NAMEDATALEN = 64;
const utf8 = new TextEncoder();

/** `text` cut to at most `bytes` UTF-8 bytes, on a character boundary (pg_mbcliplen). */
function clip(text: string, bytes: number): string {
  let out = "";
  let used = 0;
  for (const char of text) {
    const size = utf8.encode(char).length;
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

/**
 * The name PostgreSQL 18 gives a column's NOT NULL constraint (ChooseConstraintName →
 * makeObjectName): `<table>_<column>_not_null`, the longer of table and column shortened until it
 * fits in 63 bytes, with a number after `not_null` when the name was taken (`…_not_null1`).
 * `actual` says which number to try.
 */
export function defaultNotNullName(table: string, column: string, actual: string): string {
  const pass = /_not_null(\d+)$/.exec(actual)?.[1] ?? "";
  const label = `not_null${pass}`;
  const available = NAMEDATALEN - 1 - (label.length + 1) - 1;
  let tableBytes = utf8.encode(table).length;
  let columnBytes = utf8.encode(column).length;
  while (tableBytes + columnBytes > available) {
    if (tableBytes > columnBytes) tableBytes -= 1;
    else columnBytes -= 1;
  }
  return `${clip(table, tableBytes)}_${clip(column, columnBytes)}_${label}`;
}
