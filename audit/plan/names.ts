// Names in parity's model are unquoted and dot-joined (`public.orders.email`); DDL needs them
// quoted. Child objects are named after their parent, so the parent's name is cut off the front
// rather than splitting on dots (a dot inside a quoted identifier stays part of it).
import { quoteIdent } from "../core/sql.ts";
import type { SchemaObject } from "../schema/model.ts";

/** `public.orders` → `"public"."orders"`. */
export function qualified(name: string): string {
  const dot = name.indexOf(".");
  if (dot === -1) return quoteIdent(name);
  return `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

/** The schema part of a qualified name. */
export function schemaOf(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? name : name.slice(0, dot);
}

/** A child's own name: `public.orders.email` under `public.orders` → `email`. */
export function ownName(child: SchemaObject, parentName: string): string {
  return child.name.startsWith(`${parentName}.`) ? child.name.slice(parentName.length + 1) : child.name;
}

/** The relation a child of a relation lives on, from its parent key (`table:public.orders`). */
export function parentName(object: SchemaObject): string {
  const key = object.parent ?? "";
  return key.slice(key.indexOf(":") + 1);
}

/** A function's name as DDL takes it: `public.f(integer, text)` → `"public"."f"(integer, text)`. */
export function routineSignature(name: string): string {
  const open = name.indexOf("(");
  return `${qualified(name.slice(0, open))}${name.slice(open)}`;
}

/** A string literal; standard_conforming_strings is on from 9.1, so only quotes are doubled. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
