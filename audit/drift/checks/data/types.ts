// What the data check reads from one environment, and the shape of its rules.
import type { CompareContext } from "../../../core/check.ts";
import type { DataCatalog } from "./catalog.ts";

export interface DataColumn {
  schema: string;
  table: string;
  column: string;
  /** `format_type()`, e.g. `text`, `inet`, `date`. */
  type: string;
  /** Stored generated column: recomputed from the columns it reads, so never masked itself. */
  generated?: boolean;
  /** Set for a materialized view's column: the table columns the view reads (`schema.table.column`). */
  viewReads?: string[];
}

export interface DataSequence {
  /** The sequence, `schema.name`. */
  sequence: string;
  /** The column it feeds (owned-by or identity), `schema.table.column`. */
  column: string;
  increment: string;
  start: string;
  /** Declared bounds (MINVALUE, MAXVALUE): environments given disjoint id blocks never collide. */
  minValue: string;
  maxValue: string;
  /**
   * The value nextval() will return next; null when the sequence is not readable, or when it was
   * not read because the table is empty in every environment (no id names a row anywhere).
   */
  nextValue: string | null;
  /**
   * min/max of the column's live values (read through its index); null when unindexed, empty, or
   * not read because no other environment's sequence position can reach them (see plan.ts).
   */
  liveMin: string | null;
  liveMax: string | null;
}

export interface DataTableVolume {
  /** `schema.table` */
  table: string;
  /** Estimated rows; null when the table was never analyzed and has no statistics either. */
  rows: number | null;
  source: "reltuples" | "relation size" | "n_live_tup" | "unknown";
}

export interface MaskingCoverageInput {
  /** The rules file, absolute. */
  file: string;
  /** Columns with any rule (including keep and reviewed-safe), `schema.table.column`. */
  ruled: string[];
  /** Rule keys naming a table or column this database does not have. */
  stale: string[];
}

/** A temporary database an interrupted `parity clone` of this environment left on its server. */
export interface DataCloneLeftover {
  /** `parity_clone_<hex>` */
  database: string;
  /** The database it was building (this environment's). */
  building: string;
  /** Seconds since that clone started (from its comment); null when the comment does not say. */
  ageSeconds: number | null;
}

export interface DataSnapshot {
  environment: string;
  /** Columns of ordinary and partitioned tables (not of individual partitions), after the spec's filters. */
  columns: DataColumn[];
  /**
   * Column pairs joined by foreign keys, `[referencing, referenced]`, `schema.table.column`. Read
   * only when the spec names a masking rules file: coverage follows keys from ruled columns.
   */
  foreignKeyPairs: Array<[string, string]>;
  /** Null when the environment's spec names no masking rules file. */
  masking: MaskingCoverageInput | null;
  sequences: DataSequence[];
  volumes: DataTableVolume[];
  /** The environment's DatabaseSpec.minRowRatio (default 0.1). */
  minRowRatio: number;
  /** Leftovers of interrupted clones building this environment's database (absent: not read). */
  cloneLeftovers?: DataCloneLeftover[];
  /**
   * Read as the baseline of a joint read: only `sequences` and `volumes` (what the rules compare a
   * target with); `columns` and `foreignKeyPairs` are empty, `masking` null, `cloneLeftovers` absent.
   */
  baselineOnly?: true;
}

/**
 * One environment's data check half way: the catalog facts are read (without locking any user
 * relation); the connection stays open so that `finish`, knowing every environment, looks only
 * at the sequence positions and live id ranges that can matter.
 */
export interface DataRead {
  environment: string;
  /** Everything but sequences and target-only row counts, complete. */
  snapshot: DataSnapshot;
  catalog: DataCatalog;
  /** The spec's schema and object filters. */
  inScope(schema: string, table: string): boolean;
  /** Runs batch statements, each in a transaction of its own (its locks end with it), in one round trip. */
  batches<Row>(statements: readonly string[]): Promise<Row[][]>;
  close(): Promise<void>;
}

export interface DataRuleContext {
  baseline: DataSnapshot;
  target: DataSnapshot;
  environments: CompareContext;
}
