// Names more than one kind gives the same catalog codes.
import type { ObjectType } from "../model.ts";

const RELATION_TYPES: Record<string, ObjectType> = {
  r: "table",
  p: "table",
  f: "table",
  v: "view",
  m: "materialized-view",
  c: "type",
};

/** The model's object type of a pg_class relkind. */
export function relationType(kind: string): ObjectType {
  return RELATION_TYPES[kind] ?? "table";
}

/** The model's object type of a pg_type typtype that is a user type. */
export const TYPE_KINDS: Record<string, ObjectType> = { e: "enum", d: "domain", r: "type", c: "type" };

export function sorted(values: readonly string[] | null): readonly string[] | null {
  return values === null ? null : [...values].sort();
}
