// The contract of one object kind: the catalog query that reads it, the rows that query
// returns, and the function that turns those rows into model objects. A new kind is one file
// that exports a CatalogKind, plus its line in kinds/index.ts.
//
// Every query runs inside the read's transaction with `search_path = pg_catalog`, so every
// deparsed name (pg_get_viewdef, pg_get_indexdef, …) is schema-qualified the same way on every
// server, and one query reads every object of its kind, never one query per object.
import type { ObjectFilter } from "../../core/patterns.ts";
import type { ObjectType, PropValue, SchemaObject } from "../model.ts";

/**
 * Which relations to read: `full` with everything on them; `light` only for what the differ
 * needs to name what depends on a change (of tables the columns of a type or collation that is
 * not pinned; views with what they are built on and their triggers). Every database of a
 * comparison gets the same plan, so a relation left out, or read light, is left out of every
 * model alike. (paired-read/ makes plans.)
 */
export interface ReadPlan {
  full: readonly number[];
  light: readonly number[];
}

/** The relation sets a relation kind's query can take as parameters; null: every relation. */
export interface PlanParameters {
  full: number[] | null;
  light: number[] | null;
  /** `full` and `light` together. */
  withLight: number[] | null;
}

export interface ObjectExtras {
  parent?: string;
  dependsOn?: string[];
  key?: string;
  origin?: "initdb";
}

/** What a kind's `build` adds objects through. */
export interface ModelBuilder {
  readonly filter: ObjectFilter;
  /** The audit's filters: the schema is included and one of the names (object, its relation) is. */
  keep(schema: string, ...names: string[]): boolean;
  add(objectType: ObjectType, name: string, props: Record<string, PropValue>, extra?: ObjectExtras): void;
  /** Every object the kinds before this one added (kinds build in registry order). */
  readonly objects: Record<string, SchemaObject>;
  /** Every kind's rows, for a kind that needs another's (an index behind a constraint). */
  readonly rows: Readonly<Record<string, readonly unknown[]>>;
}

interface KindBase<Name extends string, Row> {
  /** The rows' key in CatalogRows. */
  readonly name: Name;
  /** The catalog query; a function of the server's major where a major added catalog columns. */
  readonly query: string | ((major: number) => string);
  build(rows: readonly Row[], model: ModelBuilder): void;
}

/** Objects that do not live on a relation: read once, in full, before any plan is known. */
export interface GlobalKind<Name extends string = string, Row = unknown> extends KindBase<Name, Row> {
  readonly scope: "global";
}

/** Objects that live on a relation: the query takes the relations to read (see ReadPlan). */
export interface RelationKind<Name extends string = string, Row = unknown> extends KindBase<Name, Row> {
  readonly scope: "relation";
  /** The query's parameters for a plan. Default: `[full]`. */
  parameters?(plan: PlanParameters): unknown[];
  /** A second query for the relations read light, given `[light]`; its rows are added to this kind's. */
  readonly lightQuery?: string;
  /** `lightQuery` for one major (see queryFor). */
  lightQueryFor?(major: number): string;
  /**
   * The output columns that name the relation a row lives on (its schema and its name): the
   * name-keyed digests of paired-read/digests.ts sum each relation's rows by them.
   */
  readonly relationColumns: readonly [schema: string, relation: string];
  /** Output columns holding stored node trees (OVERLAPS, overlaps.ts): digested without their OIDs. */
  readonly digestTrees?: readonly string[];
  /** Output columns left out of a row's digest: they hold OIDs, which differ between databases. */
  readonly digestExcludes?: readonly string[];
}

export type CatalogKind<Name extends string = string, Row = unknown> =
  | GlobalKind<Name, Row>
  | RelationKind<Name, Row>;

export type RowOf<K> = K extends { build(rows: readonly (infer Row)[], model: ModelBuilder): void }
  ? Row
  : never;

/** A kind's query for a server's major. */
export function queryFor(
  kind: { readonly query: string | ((major: number) => string) },
  major: number,
): string {
  return typeof kind.query === "function" ? kind.query(major) : kind.query;
}
