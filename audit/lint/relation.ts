// Table names as a migration writes them (`orders`, `shop.orders`), the key facts are looked up by.
import type { RangeVar } from "libpg-query";

/** `shop.orders`, or `orders` when the migration leaves the schema to search_path. */
export function relationKey(relation: RangeVar | undefined): string | undefined {
  if (!relation?.relname) return undefined;
  return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : relation.relname;
}

/** Every table name a parse tree mentions, for the facts read (deep walk: joins, FKs, subqueries). */
export function mentionedRelations(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) mentionedRelations(item, into);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "DropStmt") {
        for (const item of (value as { objects?: unknown[] }).objects ?? []) {
          const name = dottedName(item);
          if (name) into.add(name);
        }
      }
      if (key === "RangeVar" || key === "relation" || key === "pktable") {
        const name = relationKey(value as RangeVar);
        if (name) into.add(name);
      }
      mentionedRelations(value, into);
    }
  }
  return into;
}

/** Dotted names in a DROP's object list: `[["shop", "orders"]]` → `shop.orders`. */
export function dottedName(item: unknown): string | undefined {
  const items = (item as { List?: { items?: Array<{ String?: { sval?: string } }> } }).List?.items;
  if (!items) return undefined;
  const parts = items.map((part) => part.String?.sval);
  return parts.every((part): part is string => typeof part === "string") ? parts.join(".") : undefined;
}
