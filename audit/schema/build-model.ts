// Turns the rows of the fixed catalog queries into the flat, normalized model, kind by kind
// (each kind's own `build`, kinds/). Pure: no I/O, so the same rows always give the same model
// whatever order the server returned them in.
//
// The model is built as the rows arrive (`ModelBuild`): each kind is built once it and every kind
// before it in the registry are in, and its rows are dropped then, so a read never holds every
// kind's rows and the whole model at once (at 10,000 tables the column rows alone are ~75 MB).
// Strings the model repeats (types, defaults, parent keys: one copy per column as node-postgres
// hands them over) are kept once.

import type { ObjectFilter } from "../core/patterns.ts";
import { type CatalogRows, KINDS } from "./kinds/index.ts";
import type { ModelBuilder } from "./kinds/kind.ts";
import { objectKey, type PropValue, type SchemaObject } from "./model.ts";

export { constraintIndexDefinition } from "./kinds/indexes.ts";

/** Strings up to this long are kept once; longer ones (view definitions, …) are rarely repeated. */
const INTERN_MAX_LENGTH = 200;

/** Kinds whose rows another kind's build reads (model.rows): kept until the model is done. */
const ROWS_READ_LATER = new Set(["constraints"]);

export interface ModelBuild {
  /** Hands over one kind's rows (all, or the rest after `addPart`); builds every kind whose turn has come. */
  add(kindName: string, rows: readonly unknown[]): void;
  /**
   * Builds some of a kind's rows now, as they stream in: only for a kind whose build takes its
   * rows one by one (columns), once every kind before it is built.
   */
  addPart(kindName: string, rows: readonly unknown[]): void;
  /** Builds what is left (kinds never handed over have no rows) and returns the model. */
  finish(): Record<string, SchemaObject>;
}

export function startModelBuild(filter: ObjectFilter): ModelBuild {
  const objects: Record<string, SchemaObject> = {};
  const rows: Record<string, readonly unknown[]> = {};
  const pending = new Map<string, readonly unknown[]>();
  const strings = new Map<string, string>();
  const intern = (value: string): string => {
    if (value.length > INTERN_MAX_LENGTH) return value;
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  };
  const internProps = (props: Record<string, PropValue>) => {
    for (const name in props) {
      const value = props[name];
      if (typeof value === "string") props[name] = intern(value);
    }
    return props;
  };
  const model: ModelBuilder = {
    filter,
    objects,
    rows,
    keep: (schema, ...names) => filter.schema(schema) && filter.object(names),
    add(objectType, name, props, extra = {}) {
      const key = extra.key ?? objectKey(objectType, name);
      const object: SchemaObject = { key, objectType, name, props: internProps(props) };
      if (extra.parent) object.parent = intern(extra.parent);
      if (extra.origin) object.origin = extra.origin;
      if (extra.dependsOn && extra.dependsOn.length > 0) object.dependsOn = extra.dependsOn.map(intern);
      objects[key] = object;
    },
  };
  let next = 0;
  const buildKind = (kind: (typeof KINDS)[number], kindRows: readonly unknown[]) => {
    if (ROWS_READ_LATER.has(kind.name)) rows[kind.name] = kindRows;
    (kind.build as (rows: readonly unknown[], model: ModelBuilder) => void)(kindRows, model);
    // The indexes, which read the constraints' rows, build before the constraints: done with them.
    if (kind.name === "constraints") delete rows.constraints;
  };
  // A kind that reads another's rows (indexes read constraints) waits for them too.
  const ready = (kind: (typeof KINDS)[number]) =>
    pending.has(kind.name) &&
    (kind.name !== "indexes" || pending.has("constraints") || "constraints" in rows);
  const advance = () => {
    while (next < KINDS.length) {
      const kind = KINDS[next] as (typeof KINDS)[number];
      if (!ready(kind)) return;
      if (kind.name === "indexes" && !("constraints" in rows)) {
        rows.constraints = pending.get("constraints") ?? [];
      }
      buildKind(kind, pending.get(kind.name) ?? []);
      pending.delete(kind.name);
      next += 1;
    }
  };
  return {
    add(kindName, kindRows) {
      pending.set(kindName, kindRows);
      advance();
    },
    addPart(kindName, kindRows) {
      const kind = KINDS[next];
      if (kind?.name !== kindName || ROWS_READ_LATER.has(kindName))
        throw new Error(`the rows of ${kindName} cannot be built before the kinds ahead of it`);
      buildKind(kind, kindRows);
    },
    finish() {
      for (const kind of KINDS)
        if (!pending.has(kind.name) && next <= KINDS.indexOf(kind)) pending.set(kind.name, []);
      advance();
      return objects;
    },
  };
}

/** The model of a whole read's rows at once (tests, and reads that have every row already). */
export function buildObjects(rows: CatalogRows, filter: ObjectFilter): Record<string, SchemaObject> {
  const build = startModelBuild(filter);
  for (const kind of KINDS)
    build.add(kind.name, (rows as unknown as Record<string, unknown[]>)[kind.name] ?? []);
  return build.finish();
}
