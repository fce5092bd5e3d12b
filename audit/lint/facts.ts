// What lint knows about the target database: the numbers a risk depends on, read from its catalog
// (read-facts.ts) and handed to the pure rules. Nothing here does I/O.

export interface IndexFacts {
  name: string;
  bytes: number;
  /** Key columns (indnkeyatts): what a rebuild sorts. */
  keyColumns: number;
  unique: boolean;
}

export interface ConstraintFacts {
  name: string;
  /** pg_constraint.contype: c check, f foreign key, p primary key, u unique, x exclusion. */
  type: string;
  validated: boolean;
  /** pg_get_constraintdef(), e.g. `CHECK ((email IS NOT NULL))`. */
  definition: string;
}

export interface ColumnFacts {
  name: string;
  /** format_type(): `character varying(20)`, `numeric(12,2)`. */
  type: string;
  /** pg_type.typname of the column's type: `varchar`, `numeric`, `int4`. */
  typeName: string;
  /** The type modifier (atttypmod), -1 when none. */
  typmod: number;
  notNull: boolean;
}

export interface TableFacts {
  /** Qualified as findings name it: `public.orders`. */
  name: string;
  /** pg_class.relkind: r table, p partitioned table, m materialized view. */
  kind: string;
  /** reltuples (summed over partitions); null when the table was never analyzed or vacuumed. */
  rowEstimate: number | null;
  /** pg_relation_size (the heap, summed over partitions). */
  heapBytes: number;
  /** pg_total_relation_size: heap, indexes and TOAST. */
  totalBytes: number;
  indexes: IndexFacts[];
  constraints: ConstraintFacts[];
  columns: ColumnFacts[];
}

export interface TargetFacts {
  /** The environment name, or the URL without its password. */
  environment: string;
  /** server_version_num, e.g. 150018. */
  serverVersionNum: number;
  /**
   * By qualified name (`public.orders`), and by the name as the migration wrote it (`orders`); an
   * index's name (DROP INDEX) leads to the table it locks.
   */
  tables: ReadonlyMap<string, TableFacts>;
  /** provolatile of every function a default expression calls, by lower-case name: i, s or v. */
  functionVolatility: ReadonlyMap<string, readonly string[]>;
  /** Type pairs the target converts without touching the data (pg_cast castmethod 'b'): `varchar>text`. */
  binaryCoercible: ReadonlySet<string>;
}

/** 8 kB pages; the width a row takes when a table has no statistics yet (the planner guesses too). */
const ASSUMED_ROW_BYTES = 100;

export interface RowCount {
  rows: number;
  /** "statistics": reltuples; "size": guessed from the heap size because the table was never analyzed. */
  basis: "statistics" | "size";
}

/** Rows from the statistics, or, for a table never analyzed, a guess from its size. */
export function rowsOf(table: TableFacts): RowCount {
  if (table.rowEstimate !== null && !(table.rowEstimate === 0 && table.heapBytes > 0)) {
    return { rows: Math.round(table.rowEstimate), basis: "statistics" };
  }
  return { rows: Math.round(table.heapBytes / ASSUMED_ROW_BYTES), basis: "size" };
}
