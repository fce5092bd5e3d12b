// The masking rules as parity uses them after the rules file is validated, and the report of a run.

/**
 * Transformers that rewrite a value from its keyed HMAC, so the same input always gives the same
 * output, in every column and table, whether or not the column is unique.
 */
export type HashingTransformer =
  /** `<hex>@example.com`; case-insensitive (Alice@Example.com and alice@example.com mask alike). */
  | "email"
  /** Like email, but case variants mask differently (for a unique column holding case variants). */
  | "email-case-sensitive"
  | "name"
  | "address"
  | "redact"
  /** Format-preserving: every digit replaced by a keyed permutation, everything else kept. */
  | "phone"
  | "ssn"
  | "digits"
  /** Format-preserving digits with a valid Luhn check digit. */
  | "card"
  /** Country code kept, BBAN digits permuted, check digits recomputed (ISO 13616 mod 97). */
  | "iban"
  /** inet: same family and mask length, address in 10.0.0.0/8 or fd00::/8. */
  | "ip"
  /** date/timestamp: same year, day of the year from the digest. */
  | "keep-year";

export type ColumnRule =
  | { transform: HashingTransformer }
  /** date/timestamp: moved by a keyed number of days in [-days, +days] (never 0). */
  | { transform: "date-shift"; days: number }
  /** Every non-null value becomes `value` (cast to the column's type). */
  | { transform: "fixed"; value: string }
  /** Every value becomes NULL. */
  | { transform: "null" }
  /** Copied unchanged on purpose. */
  | { transform: "keep"; reason?: string }
  /** Reviewed and found safe (e.g. `email_verified boolean`): left unchanged and not flagged by coverage. */
  | { transform: "safe"; reason: string };

export type TransformName = ColumnRule["transform"];

export interface TableRules {
  schema: string;
  table: string;
  /** Column name → rule, in file order. */
  columns: Record<string, ColumnRule>;
}

export interface MaskingRules {
  /** Absolute path of the rules file (for messages). */
  file: string;
  tables: TableRules[];
}

export interface MaskedColumnReport {
  column: string;
  transform: TransformName;
  /**
   * Set when the rule was not written for this column but follows a foreign key:
   * the referenced or referencing column it was taken from, `schema.table.column`.
   */
  followsForeignKeyFrom?: string;
}

export interface MaskedTableReport {
  schema: string;
  table: string;
  columns: MaskedColumnReport[];
  rows: number;
  batches: number;
  /** Masked by one ALTER TABLE rewrite into a fresh heap (rewrite.ts) rather than batched UPDATEs. */
  onePass?: boolean;
  /** Why a table that could have been masked in one pass was batched: its views could not be set aside. */
  batchedBecause?: string;
  durationMs: number;
}

export interface MaskReport {
  /** `masked`: this run rewrote data; `already masked`: the database records the same key and rules. */
  outcome: "masked" | "already masked" | "dry run";
  tables: MaskedTableReport[];
  /** Total rows rewritten across tables. */
  rows: number;
  /** Foreign keys whose consistency was verified after masking, `schema.table.constraint`. */
  verifiedForeignKeys: string[];
  /** Materialized views refreshed from the masked tables. */
  refreshedViews: string[];
  /** Relations rewritten into fresh files (VACUUM FULL) and re-analyzed after the commit. */
  scrubbed: string[];
  /** Tsvector columns recomputed from masked values by their trigger, `schema.table.column (trigger)`. */
  recomputed: string[];
  /** What the database now records about its masking (see marker.ts). */
  marker: MaskingMarker;
  /** With dryRun: per masked column, rows, distinct values before/after and masked samples. */
  dryRun?: ColumnStats[];
  durationMs: number;
}

export interface MaskDatabaseOptions {
  databaseUrl: string;
  rules: MaskingRules;
  /** The HMAC key (from PARITY_MASKING_KEY or SSM; never from the rules file). */
  key: string | Buffer;
  /** Rows per UPDATE batch. Default 50,000. */
  batchSize?: number;
  /** The database's name or host looks like production; mask it anyway (default false: refuse). */
  allowProductionName?: boolean;
  /** Mask while other sessions are connected (they are locked out of the masked tables; default refuse). */
  allowOtherSessions?: boolean;
  /**
   * The database is already masked with this key and other rules: mask only the columns the new
   * rules add (default false: refuse). Columns whose rule changed are always refused.
   */
  onlyNewRules?: boolean;
  /** Run everything, then roll back; the report carries per-column statistics and masked samples. */
  dryRun?: boolean;
}

export interface PlannedColumn {
  column: string;
  rule: ColumnRule;
  type: string;
  /** Base type name through domains (`character varying`, `date`, `inet`). */
  baseType: string;
  /** pg_type.typcategory of the base type (`S` strings). */
  category: string;
  /** Declared character length, or null; outputs are planned to fit it. */
  maxLength: number | null;
  /** This column or one tied to it by a foreign key is unique: its outputs must not collide. */
  unique: boolean;
  followsForeignKeyFrom?: string;
}

/** What a masked database records about its masking (marker.ts writes and reads it). */
export interface MaskingMarker {
  /** Format of this record. */
  format: 1;
  parityVersion: string;
  /** Version of the transformers' outputs (marker.ts MASKING_ALGORITHM); absent: 1. */
  algorithm?: number;
  /** sha256 over the algorithm version and the effective rule of every masked column (file path and order do not matter). */
  rulesDigest: string;
  /** HMAC of a fixed label under the key: tells keys apart, reveals nothing about the key. */
  keyFingerprint: string;
  maskedAt: string;
  /** Effective rule per masked column, `schema.table.column` → rule (after foreign keys). */
  columns: Record<string, string>;
  /** False between the masking commit and the end of the file rewrite (VACUUM FULL, ANALYZE). */
  scrubbed: boolean;
}

/** One masked column in a dry run or --check (fit-check.ts). */
export interface ColumnStats {
  /** `schema.table.column` */
  column: string;
  transform: string;
  rows: number;
  distinctBefore: number;
  distinctAfter: number;
  /** Up to three masked values, as text. */
  samples: Array<string | null>;
}
