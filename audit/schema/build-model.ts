// Turns the rows of the fixed catalog queries into the flat, normalized model, kind by kind
// (each kind's own `build`, kinds/). Pure: no I/O, so the same rows always give the same model
// whatever order the server returned them in.

import type { ObjectFilter } from "../core/patterns.ts";
import { type CatalogRows, KINDS } from "./kinds/index.ts";
import type { ModelBuilder } from "./kinds/kind.ts";
import { objectKey, type SchemaObject } from "./model.ts";

export { constraintIndexDefinition } from "./kinds/indexes.ts";

export function buildObjects(rows: CatalogRows, filter: ObjectFilter): Record<string, SchemaObject> {
  const objects: Record<string, SchemaObject> = {};
  const model: ModelBuilder = {
    filter,
    objects,
    rows: rows as unknown as ModelBuilder["rows"],
    keep: (schema, ...names) => filter.schema(schema) && filter.object(names),
    add(objectType, name, props, extra = {}) {
      const key = extra.key ?? objectKey(objectType, name);
      const object: SchemaObject = { key, objectType, name, props };
      if (extra.parent) object.parent = extra.parent;
      if (extra.origin) object.origin = extra.origin;
      if (extra.dependsOn && extra.dependsOn.length > 0) object.dependsOn = extra.dependsOn;
      objects[key] = object;
    },
  };
  for (const kind of KINDS) {
    (kind.build as (rows: readonly unknown[], model: ModelBuilder) => void)(rows[kind.name] ?? [], model);
  }
  return objects;
}
