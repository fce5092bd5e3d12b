// Name-keyed digests: the paired read of databases that are not clones (see complete.ts).
//
// Databases built separately (staging made by hand, a preview from migrations, the same schema on
// another major) share no OIDs, so the fingerprints of fingerprints.ts, which hash catalog rows as
// stored, differ everywhere. What they do share is what the schema read sends: every relation
// kind's rows (kinds/) print names, never OIDs. So each database runs those same queries once,
// on the server, and sends back only a 64-bit sum of hashes of each relation's rows per kind,
// keyed by schema and name, plus its views' definitions: a few bytes per relation instead of every
// row, which the client would otherwise parse and build into a model (most of a full read's
// time, and all of its memory). Relations whose digests agree everywhere send the same rows
// everywhere, so they build the same objects and are left out of every model alike; the rest,
// and what is built on them, are read in full (name-plan.ts).
//
// A digest can differ where the models would not: a stored node tree sent for OVERLAPS
// (overlaps.ts) holds OIDs, and a major prints some expressions its own way, which the model
// normalizes. Such a relation is just read in full, and compared as a full read compares it.
import type pg from "pg";
import { RELATION_KINDS } from "../kinds/index.ts";
import { queryFor, type RelationKind } from "../kinds/kind.ts";
import { readViewDefinitions } from "../view-definitions.ts";

/** One relation's digest in one database, with what identifies it there. */
export interface RelationDigest {
  oid: number;
  /** Its row type and that type's array: columns of those types name the relation. */
  rowType: number;
  arrayType: number | null;
  kind: string;
  /** Sum of the hashes of its rows, per kind (each kind hashed with its own seed). */
  digest: string;
  /** How many catalog rows the digest sums (the progress line's count of objects read). */
  rows: number;
  /** A view's or materialized view's definition, as the full read deparses it. */
  view?: string | null;
}

/** The key of a relation by name: its schema and its name, which may hold any character. */
export const relationKey = (schema: string, name: string): string => JSON.stringify([schema, name]);

/** A kind's rows hashed one by one, each with its relation's schema and name. */
function kindDigestSql(kind: RelationKind, major: number, seed: number): string {
  const [schema, relation] = kind.relationColumns;
  const trees = kind.digestTrees ?? [];
  const excludes = kind.digestExcludes ?? [];
  // A whole row as its text: one call per row, no serialization step per column. Where the row
  // holds OIDs, through jsonb with those keys taken out.
  const without = (columns: readonly string[]) =>
    columns.length === 0
      ? "q::text"
      : `(to_jsonb(q) ${columns.map((column) => `- '${quoteColumn(column)}'`).join(" ")})::text`;
  let rowText = without(excludes);
  if (trees.length > 0) {
    // A row with an OVERLAPS tree (rare): the tree without what names user objects, which differ
    // between databases built separately (a subquery's relation, a column's type: OIDs from
    // 16384, five digits or more). What the model takes from such a tree, the overlaps
    // function and which casts the parser added (overlaps.ts), are small numbers and stay.
    const present = trees
      .map((tree) => `coalesce(strpos(q.${quoteColumn(tree)}::text, '{FUNCEXPR') > 0, false)`)
      .join(" or ");
    const stripped = trees
      .map((tree) => `coalesce(${TREE_WITHOUT_USER_OIDS(`q.${quoteColumn(tree)}::text`)}, '')`)
      .join(" || ' ' || ");
    rowText = `case when ${present} then ${without([...excludes, ...trees])} || ${stripped} else ${rowText} end`;
  }
  return `select q.${quoteColumn(schema)} as schema, q.${quoteColumn(relation)} as relation,
       hashtextextended(${rowText}, ${seed})::numeric as h
from (${queryFor(kind, major)}) q`;
}

/** SQL: a node tree's text without the numbers of five digits or more after a field name. */
const TREE_WITHOUT_USER_OIDS = (text: string) =>
  `regexp_replace(${text}, '(:[a-z_]+ )[0-9]{5,}', '\\1', 'g')`;

/** The same in JavaScript, for the global objects' rows compared on the client (name-plan.ts). */
export function treeWithoutUserOids(text: string): string {
  return text.replace(/(:[a-z_]+ )[0-9]{5,}/g, "$1");
}

function quoteColumn(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected column name ${name}`);
  return name;
}

/**
 * Every relation's digest, as one json value: `[oid, row type, array type, schema, name, relkind,
 * digest, rows]` per relation. $1 and $2 are null (every relation, none light) for the kinds' queries.
 */
export function digestQuery(major: number): string {
  const parts = RELATION_KINDS.map((kind, index) => kindDigestSql(kind, major, index + 1));
  // Sums of 64-bit hashes in numeric: nothing overflows and, unlike XOR, equal rows do not cancel.
  return `
with digests as (
${parts.join("\nunion all\n")}
),
by_relation as (select schema, relation, sum(h) as h, count(*) as n from digests group by schema, relation)
select coalesce(json_agg(json_build_array(c.oid, c.reltype, coalesce(t.typarray, 0), d.schema,
                                          d.relation, c.relkind, d.h::text, d.n)), '[]')::text as relations
from by_relation d
join pg_namespace n on n.nspname = d.schema
join pg_class c on c.relnamespace = n.oid and c.relname = d.relation
left join pg_type t on t.oid = c.reltype`;
}

type DigestLine = [number, number, number, string, string, string, string, number];

/** The digest query's json into relations by key (relationKey). */
export function parseDigests(text: string): Map<string, RelationDigest> {
  const relations = new Map<string, RelationDigest>();
  for (const [oid, rowType, arrayType, schema, name, kind, digest, rows] of JSON.parse(
    text,
  ) as DigestLine[]) {
    relations.set(relationKey(schema, name), {
      oid: Number(oid),
      rowType: Number(rowType),
      arrayType: Number(arrayType) === 0 ? null : Number(arrayType),
      kind,
      digest,
      rows: Number(rows),
    });
  }
  return relations;
}

/** Reads every relation's digest on `client`, inside its open catalog transaction. */
export async function readDigests(client: pg.Client, major: number): Promise<Map<string, RelationDigest>> {
  const result = await client.query<{ relations: string }>(digestQuery(major), [null, null]);
  const relations = parseDigests(result.rows[0]?.relations ?? "[]");
  // Views are deparsed in batches that give back their locks, as the full read does.
  const views = [...relations.values()].filter((relation) => relation.kind === "v" || relation.kind === "m");
  const definitions = await readViewDefinitions(
    client,
    views.map((view) => view.oid),
  );
  for (const view of views) view.view = definitions.get(view.oid) ?? null;
  return relations;
}
