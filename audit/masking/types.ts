// The masking rules as parity uses them after the rules file is validated, and the report of a run.

/** Transformers that rewrite a value from its keyed HMAC, so the same input always gives the same output. */
export type HashingTransformer = "email" | "name" | "phone" | "address" | "redact";

export type ColumnRule =
  /** Rewrite from the value's keyed HMAC (email, person name, phone, address, free-text redaction). */
  | { transform: HashingTransformer }
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
  durationMs: number;
}

export interface MaskReport {
  tables: MaskedTableReport[];
  /** Total rows rewritten across tables. */
  rows: number;
  /** Foreign keys whose consistency was verified after masking, `schema.table.constraint`. */
  verifiedForeignKeys: string[];
  durationMs: number;
}

export interface MaskDatabaseOptions {
  databaseUrl: string;
  rules: MaskingRules;
  /** The HMAC key (from PARITY_MASKING_KEY or SSM; never from the rules file). */
  key: string | Buffer;
  /** Rows per UPDATE batch. Default 50,000. */
  batchSize?: number;
}
