// What the data check reads from one environment, and the shape of its rules.
import type { CompareContext } from "../../../core/check.ts";

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
  /** The value nextval() will return next; null when the sequence is not readable. */
  nextValue: string | null;
  /** min/max of the column's live values (read through its index); null when unindexed or empty. */
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

export interface DataSnapshot {
  environment: string;
  /** Columns of ordinary and partitioned tables (not of individual partitions), after the spec's filters. */
  columns: DataColumn[];
  /** Column pairs joined by foreign keys, `[referencing, referenced]`, `schema.table.column`. */
  foreignKeyPairs: Array<[string, string]>;
  /** Null when the environment's spec names no masking rules file. */
  masking: MaskingCoverageInput | null;
  sequences: DataSequence[];
  volumes: DataTableVolume[];
  /** The environment's DatabaseSpec.minRowRatio (default 0.1). */
  minRowRatio: number;
}

export interface DataRuleContext {
  baseline: DataSnapshot;
  target: DataSnapshot;
  environments: CompareContext;
}
