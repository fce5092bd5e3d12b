// The I/O edge of lint: the target's numbers for the tables a migration names, read from its catalog
// in one read-only transaction (sizes, row estimates, indexes, constraints, columns, the volatility of
// the functions it calls, the casts that need no rewrite, the server version). Nothing is written, no
// table lock is taken (to_regclass and pg_relation_size lock nothing), and no table data is read.
import type pg from "pg";
import { EnvironmentReadError } from "../core/errors.ts";
import { failureOf, newClient } from "../core/pg-client.ts";
import { quoteIdent } from "../core/sql.ts";
import type { ColumnFacts, ConstraintFacts, IndexFacts, TableFacts, TargetFacts } from "./facts.ts";

export interface ReadFactsOptions {
  url: string;
  /** The environment name (or the redacted URL) for findings and errors. */
  environment: string;
  /** Tables as the migration writes them (`orders`, `shop.orders`); an index name stands for its table. */
  relations: readonly string[];
  /** Functions called by default expressions (lower-case names). */
  functions: readonly string[];
}

// A stuck server must not hang CI: give up connecting and querying after these.
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;

const TABLES_SQL = `
SELECT input.key, c.oid::int8 AS oid, n.nspname, c.relname, c.relkind,
       sizes.row_estimate, sizes.heap_bytes, sizes.total_bytes
FROM unnest($1::text[], $2::text[]) AS input(key, quoted)
JOIN pg_class named ON named.oid = to_regclass(input.quoted)
LEFT JOIN pg_index named_index ON named_index.indexrelid = named.oid
JOIN pg_class c ON c.oid = coalesce(named_index.indrelid, named.oid)
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT CASE WHEN bool_and(leaf.reltuples < 0) THEN NULL ELSE sum(greatest(leaf.reltuples, 0)) END AS row_estimate,
         sum(pg_relation_size(leaf.oid))::int8 AS heap_bytes,
         sum(pg_total_relation_size(leaf.oid))::int8 AS total_bytes
  FROM pg_class leaf
  WHERE leaf.oid = c.oid AND c.relkind <> 'p'
     OR leaf.oid IN (SELECT relid FROM pg_partition_tree(c.oid) WHERE isleaf AND c.relkind = 'p')
) sizes
WHERE c.relkind IN ('r', 'p', 'm')`;

const INDEXES_SQL = `
SELECT i.indrelid::int8 AS table_oid, ic.relname AS name, pg_relation_size(i.indexrelid)::int8 AS bytes,
       i.indnkeyatts AS key_columns, i.indisunique AS unique
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = ANY($1::oid[])
ORDER BY ic.relname`;

const CONSTRAINTS_SQL = `
SELECT conrelid::int8 AS table_oid, conname AS name, contype AS type, convalidated AS validated,
       pg_get_constraintdef(oid) AS definition
FROM pg_constraint WHERE conrelid = ANY($1::oid[])
ORDER BY conname`;

const COLUMNS_SQL = `
SELECT a.attrelid::int8 AS table_oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       t.typname AS type_name, a.atttypmod AS typmod, a.attnotnull AS not_null
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

const FUNCTIONS_SQL = `
SELECT proname AS name, array_agg(DISTINCT provolatile::text ORDER BY provolatile::text) AS volatility
FROM pg_proc WHERE proname = ANY($1::text[]) GROUP BY proname`;

const BINARY_CASTS_SQL = `
SELECT s.typname || '>' || t.typname AS pair
FROM pg_cast c JOIN pg_type s ON s.oid = c.castsource JOIN pg_type t ON t.oid = c.casttarget
WHERE c.castmethod = 'b'`;

/** `shop.orders` → `"shop"."orders"`, so to_regclass finds names exactly as the parser kept them. */
function quoted(key: string): string {
  return key.split(".").map(quoteIdent).join(".");
}

export async function readTargetFacts(options: ReadFactsOptions): Promise<TargetFacts> {
  const client = newClient({
    connectionString: options.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: "parity lint",
  });
  const fail = (error: unknown): never => {
    throw new EnvironmentReadError(
      options.environment,
      "the database catalog",
      failureOf(client, error).message,
      {
        cause: error,
      },
    );
  };
  await client.connect().catch(fail);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const facts = await readInTransaction(client, options);
    await client.query("COMMIT");
    return facts;
  } catch (error) {
    if (error instanceof EnvironmentReadError) throw error;
    return fail(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readInTransaction(client: pg.Client, options: ReadFactsOptions): Promise<TargetFacts> {
  const keys = [...new Set(options.relations)];
  const version = await client.query<{ version: number }>(
    "SELECT current_setting('server_version_num')::int AS version",
  );
  const tableRows = (await client.query(TABLES_SQL, [keys, keys.map(quoted)])).rows as Array<
    Record<string, string | null>
  >;
  const oids = [...new Set(tableRows.map((row) => String(row.oid)))];
  // One query at a time: a pg client runs them in sequence anyway, and warns when handed several.
  const indexes = await client.query(INDEXES_SQL, [oids]);
  const constraints = await client.query(CONSTRAINTS_SQL, [oids]);
  const columns = await client.query(COLUMNS_SQL, [oids]);
  const functions = await client.query(FUNCTIONS_SQL, [[...new Set(options.functions)]]);
  const casts = await client.query<{ pair: string }>(BINARY_CASTS_SQL);
  const byTable = <T>(rows: Array<Record<string, unknown>>, map: (row: Record<string, unknown>) => T) => {
    const grouped = new Map<string, T[]>();
    for (const row of rows) {
      const key = String(row.table_oid);
      grouped.set(key, [...(grouped.get(key) ?? []), map(row)]);
    }
    return grouped;
  };
  const indexesOf = byTable<IndexFacts>(indexes.rows, (row) => ({
    name: String(row.name),
    bytes: Number(row.bytes),
    keyColumns: Number(row.key_columns),
    unique: row.unique === true,
  }));
  const constraintsOf = byTable<ConstraintFacts>(constraints.rows, (row) => ({
    name: String(row.name),
    type: String(row.type),
    validated: row.validated === true,
    definition: String(row.definition),
  }));
  const columnsOf = byTable<ColumnFacts>(columns.rows, (row) => ({
    name: String(row.name),
    type: String(row.type),
    typeName: String(row.type_name),
    typmod: Number(row.typmod),
    notNull: row.not_null === true,
  }));

  const tables = new Map<string, TableFacts>();
  for (const row of tableRows) {
    const oid = String(row.oid);
    const table: TableFacts = {
      name: `${row.nspname}.${row.relname}`,
      kind: String(row.relkind),
      rowEstimate: row.row_estimate === null ? null : Number(row.row_estimate),
      heapBytes: Number(row.heap_bytes ?? 0),
      totalBytes: Number(row.total_bytes ?? 0),
      indexes: indexesOf.get(oid) ?? [],
      constraints: constraintsOf.get(oid) ?? [],
      columns: columnsOf.get(oid) ?? [],
    };
    tables.set(String(row.key), table);
    tables.set(table.name, table);
  }
  return {
    environment: options.environment,
    serverVersionNum: version.rows[0]?.version ?? 0,
    tables,
    functionVolatility: new Map(functions.rows.map((row) => [String(row.name), row.volatility as string[]])),
    binaryCoercible: new Set(casts.rows.map((row) => row.pair)),
  };
}
