// The normalized, JSON-serializable model of one database that the differ compares.
// Every catalog object becomes one flat SchemaObject keyed by kind and qualified name: OIDs,
// catalog order and attribute positions are dropped on purpose, so they never count as drift.
import type { UnmatchedPattern } from "./unmatched-patterns.ts";

export type PropValue = string | number | boolean | null | readonly string[];

export type ObjectType =
  | "schema"
  | "table"
  | "column"
  | "index"
  | "constraint"
  | "sequence"
  | "view"
  | "materialized-view"
  | "function"
  | "procedure"
  | "trigger"
  | "enum"
  | "domain"
  | "type"
  | "extension"
  | "collation"
  | "policy"
  | "privilege"
  | "statistics"
  | "default-privilege"
  | "publication"
  | "subscription"
  | "event-trigger"
  | "foreign-server"
  | "user-mapping"
  | "rule"
  | "aggregate"
  | "cast"
  | "operator"
  | "operator-class"
  | "operator-family"
  | "text-search-configuration"
  | "text-search-dictionary";

export interface SchemaObject {
  /** Unique within a snapshot: `${objectType}:${name}` (privileges add the grantee). */
  key: string;
  objectType: ObjectType;
  /** Qualified name reported in findings: `public.orders`, `public.orders.email`, `public.f(integer)`. */
  name: string;
  /** Key of the owning object (table of a column, …); drift of a parent hides its children's. */
  parent?: string;
  /** Keys of objects this one is built on (view → columns, column → enum type). */
  dependsOn?: string[];
  /** `initdb`: still exactly as the server's initdb made it (compared, but as an engine default). */
  origin?: "initdb";
  /** Compared properties. `definition`, when present, gets a unified diff on change. */
  props: Record<string, PropValue>;
}

export interface EngineFacts {
  /** `server_version_num`, e.g. 150018. */
  versionNum: number;
  major: number;
  minor: number;
  /** `server_version` as the server reports it, e.g. `15.18 (Debian 15.18-0+deb12u1)`. */
  version: string;
  encoding: string;
  collate: string;
  ctype: string;
  /** `libc` or `icu` (PostgreSQL 15+; `libc` before). */
  localeProvider: string;
  /** ICU locale of the database, when the provider is ICU. */
  iculocale: string | null;
}

export interface SettingValue {
  value: string;
  unit: string | null;
  /** Not at its built-in default on this server. */
  nonDefault: boolean;
  /** On the default watch list, or named in `settings.include`. */
  watched: boolean;
}

export interface DatabaseSnapshot {
  engine: EngineFacts;
  settings: Record<string, SettingValue>;
  objects: Record<string, SchemaObject>;
  /** The read's include/exclude patterns that match nothing in this database (when any were given). */
  unmatchedPatterns?: UnmatchedPattern[];
  /**
   * This environment's names for the baseline's roles (`database.roles.map`): applied to the
   * baseline's model when this snapshot is the target (roles.ts). Not read from the server.
   */
  roleMap?: Readonly<Record<string, string>>;
}

export function objectKey(objectType: ObjectType, name: string): string {
  return `${objectType}:${name}`;
}
