// Which of a database's include/exclude patterns match nothing in it. A `schemas: [shopp]` typo
// otherwise reads nothing on every side and reports a clean audit: ESLint's "no files matching
// the pattern" is the model. Matched on the server (the glob as a POSIX regex), in the read's own
// snapshot, against the same qualified names the model filters: schemas for the schema lists;
// relations, their columns, indexes, constraints, triggers and policies, functions and types for
// the object lists. Only run when patterns are given, so the default audit pays nothing.
import type { FilterOptions } from "../core/patterns.ts";

export type PatternField = "schemas" | "excludeSchemas" | "includeObjects" | "excludeObjects";

export interface UnmatchedPattern {
  field: PatternField;
  index: number;
  pattern: string;
}

const FIELDS: readonly PatternField[] = ["schemas", "excludeSchemas", "includeObjects", "excludeObjects"];

/** The same translation as core/patterns.ts globToRegExp, for PostgreSQL's `~` (ARE syntax). */
export function globToPostgresRegex(pattern: string): string {
  let source = "";
  for (const char of pattern) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return `^${source}$`;
}

export function patternsOf(options: FilterOptions): UnmatchedPattern[] {
  return FIELDS.flatMap((field) =>
    (options[field] ?? []).map((pattern, index) => ({ field, index, pattern })),
  );
}

// `$1` fields, `$2` indexes, `$3` regexes. System schemas are never candidates: a pattern that
// matches only `pg_catalog` matches nothing the audit reads.
export const UNMATCHED_PATTERNS_QUERY = `
with pattern as (
  select * from unnest($1::text[], $2::int[], $3::text[]) as p(field, idx, re)
),
user_namespace as materialized (
  select oid, nspname from pg_namespace
  where nspname !~ '^pg_' and nspname <> 'information_schema'
),
relation as materialized (
  select c.oid, n.nspname || '.' || c.relname as name
  from pg_class c join user_namespace n on n.oid = c.relnamespace
  where c.relkind <> 't'
),
object_name as materialized (
  select name from relation
  union all
  select r.name || '.' || a.attname from pg_attribute a join relation r on r.oid = a.attrelid
  where a.attnum > 0 and not a.attisdropped
  union all
  select r.name || '.' || i.relname from pg_index x join relation r on r.oid = x.indrelid
    join pg_class i on i.oid = x.indexrelid
  union all
  select r.name || '.' || co.conname from pg_constraint co join relation r on r.oid = co.conrelid
  union all
  select n.nspname || '.' || co.conname from pg_constraint co join user_namespace n on n.oid = co.connamespace
  where co.contypid <> 0
  union all
  select r.name || '.' || t.tgname from pg_trigger t join relation r on r.oid = t.tgrelid
  where not t.tgisinternal
  union all
  select r.name || '.' || po.polname from pg_policy po join relation r on r.oid = po.polrelid
  union all
  select n.nspname || '.' || p.proname from pg_proc p join user_namespace n on n.oid = p.pronamespace
  union all
  select n.nspname || '.' || t.typname from pg_type t join user_namespace n on n.oid = t.typnamespace
)
select p.field, p.idx from pattern p
where case
  when p.field in ('schemas', 'excludeSchemas')
    then not exists (select 1 from user_namespace n where n.nspname ~ p.re)
  else not exists (select 1 from object_name o where o.name ~ p.re)
end
order by p.field, p.idx`;

export function unmatchedParameters(patterns: readonly UnmatchedPattern[]): [string[], number[], string[]] {
  return [
    patterns.map((pattern) => pattern.field),
    patterns.map((pattern) => pattern.index),
    patterns.map((pattern) => globToPostgresRegex(pattern.pattern)),
  ];
}

export function unmatchedFromRows(
  patterns: readonly UnmatchedPattern[],
  rows: readonly { field: string; idx: number }[],
): UnmatchedPattern[] {
  const missing = new Set(rows.map((row) => `${row.field}[${row.idx}]`));
  return patterns.filter((pattern) => missing.has(`${pattern.field}[${pattern.index}]`));
}
