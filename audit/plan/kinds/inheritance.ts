// What a partition or inheriting child gets from its parent by itself: PostgreSQL clones the
// parent's indexes and constraints onto a partition (and CHECKs onto any child), so the plan
// neither creates nor drops those copies.
import type { SchemaObject } from "../../schema/model.ts";
import { list, text } from "../context.ts";

/** An index definition without its own name and table, to compare a partition's with its parent's. */
export function indexShape(definition: string | null): string {
  return (definition ?? "").replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+/, "$1");
}

/** The parent's object this one is a copy of, if any. */
export function inheritedCopy(
  object: SchemaObject,
  model: Readonly<Record<string, SchemaObject>>,
): SchemaObject | undefined {
  const table =
    object.objectType === "index" ? model[`table:${text(object, "table")}`] : model[object.parent ?? ""];
  if (!table) return undefined;
  const partitionOf = text(table, "partitionOf");
  const parentNames = partitionOf ? [partitionOf] : list(table, "inherits");
  for (const parentName of parentNames) {
    for (const candidate of Object.values(model)) {
      if (candidate.objectType !== object.objectType) continue;
      if (object.objectType === "index") {
        if (
          partitionOf &&
          text(candidate, "table") === parentName &&
          indexShape(text(candidate, "definition")) === indexShape(text(object, "definition"))
        )
          return candidate;
      } else if (candidate.parent === `table:${parentName}`) {
        const type = text(object, "type");
        const copies = partitionOf
          ? ["primary key", "unique", "foreign key", "check", "exclusion"]
          : ["check"];
        if (
          type &&
          copies.includes(type) &&
          text(candidate, "type") === type &&
          text(candidate, "definition") === text(object, "definition")
        )
          return candidate;
      }
    }
  }
  return undefined;
}
