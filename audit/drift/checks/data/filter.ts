// The DatabaseSpec's schema and object patterns, applied to tables: the same filter the schema
// check uses, so a pattern means the same in every check.
import type { DatabaseSpec } from "../../../core/check.ts";
import { makeFilter } from "../../../core/patterns.ts";

/** Whether a table (`schema`, `schema.table`) is in scope for the spec. */
export function tableFilter(spec: DatabaseSpec): (schema: string, table: string) => boolean {
  const filter = makeFilter(spec);
  return (schema, table) => filter.schema(schema) && filter.object([`${schema}.${table}`]);
}
