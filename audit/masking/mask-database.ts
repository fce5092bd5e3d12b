// Applies masking rules to a (cloned) database in ONE transaction: validate everything first, then
// rewrite each table in batches, re-check the foreign keys that involve masked columns, commit.
// Any failure rolls everything back, so a clone is either fully masked or unchanged.
//
// Foreign keys during the rewrite: the transaction runs with session_replication_role = replica,
// which switches off the RI triggers (and user triggers). Parents and children are rewritten by
// separate statements, so in between a reference briefly points at a key that has been rewritten;
// replica mode lets that pass without making every constraint deferrable (which means ALTERing
// them, and does nothing for ON UPDATE CASCADE, which would rewrite children twice). Not firing user
// triggers is also wanted: an audit trigger would otherwise copy the unmasked old values into a log
// table. Because the RI triggers are off, parity re-checks each affected foreign key with one
// set-based anti-join before commit and rolls back if any reference dangles. Unique indexes are not
// triggers and stay enforced throughout.
import pg from "pg";
import { ParityInputError } from "../core/errors.ts";
import { quoteIdent } from "../local/embedded-postgres.ts";
import { type CatalogForeignKey, readMaskingCatalog } from "./catalog.ts";
import { assertUsableKey, hmacPads } from "./hmac-key.ts";
import { type MaskingPlan, type PlannedTable, planMasking } from "./plan.ts";
import { KEY_TABLE, maskedValueSql } from "./transforms.ts";
import type { MaskDatabaseOptions, MaskedTableReport, MaskReport } from "./types.ts";

export const DEFAULT_BATCH_SIZE = 50_000;

export async function maskDatabase(options: MaskDatabaseOptions): Promise<MaskReport> {
  const key = assertUsableKey(options.key, "the caller");
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ParityInputError(`batch size must be a positive integer, got ${batchSize}`);
  }
  const started = performance.now();
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    try {
      await client.query("set local standard_conforming_strings = on");
      await enterReplicaMode(client);
      const plan = planMasking(options.rules, await readMaskingCatalog(client));
      await checkFixedValues(client, plan, options.rules.file);
      await storeKey(client, key);

      const tables: MaskedTableReport[] = [];
      for (const table of plan.tables) tables.push(await maskTable(client, table, batchSize));
      await verifyForeignKeys(client, plan.foreignKeys);

      await client.query("commit");
      return {
        tables,
        rows: tables.reduce((sum, table) => sum + table.rows, 0),
        verifiedForeignKeys: plan.foreignKeys.map((fk) => `${fk.schema}.${fk.table}.${fk.name}`),
        durationMs: performance.now() - started,
      };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw explainFailure(error);
    }
  } finally {
    await client.end();
  }
}

async function enterReplicaMode(client: pg.Client): Promise<void> {
  try {
    await client.query("set local session_replication_role = replica");
  } catch (error) {
    throw new ParityInputError(
      `masking needs a superuser (rds_superuser on RDS) to set session_replication_role: ${(error as Error).message}`,
    );
  }
}

async function checkFixedValues(client: pg.Client, plan: MaskingPlan, file: string): Promise<void> {
  const problems: string[] = [];
  for (const table of plan.tables) {
    for (const column of table.columns) {
      if (column.rule.transform !== "fixed") continue;
      try {
        await client.query("savepoint parity_fixed_value");
        await client.query(`select $1::${column.type}`, [column.rule.value]);
        await client.query("release savepoint parity_fixed_value");
      } catch (error) {
        await client.query("rollback to savepoint parity_fixed_value");
        problems.push(
          `${file}: tables.${table.schema}.${table.table}.${column.column}: fixed value ${JSON.stringify(column.rule.value)} is not a valid ${column.type}: ${(error as Error).message}`,
        );
      }
    }
  }
  if (problems.length > 0)
    throw new ParityInputError(`${file}: masking rules do not fit the database`, problems);
}

async function storeKey(client: pg.Client, key: string | Buffer): Promise<void> {
  const pads = hmacPads(key);
  await client.query(
    `create temp table ${KEY_TABLE.slice("pg_temp.".length)} (inner_pad bytea, outer_pad bytea) on commit drop`,
  );
  await client.query(`insert into ${KEY_TABLE} values ($1, $2)`, [pads.inner, pads.outer]);
}

/**
 * Rewrites one table in batches: a cursor (whose snapshot predates the rewrite) hands out the ctids of
 * the original rows, and each batch updates exactly those. Rows never pass through Node, only their
 * ctids; a rewritten row gets a new ctid the cursor never sees, so nothing is masked twice.
 */
async function maskTable(
  client: pg.Client,
  table: PlannedTable,
  batchSize: number,
): Promise<MaskedTableReport> {
  const started = performance.now();
  const assignments = table.columns
    .map((column) => `${quoteIdent(column.column)} = ${maskedValueSql(column)}`)
    .join(", ");
  let rows = 0;
  let batches = 0;
  for (const [index, storage] of table.storage.entries()) {
    const relation = `${quoteIdent(storage.schema)}.${quoteIdent(storage.table)}`;
    const cursor = `parity_mask_cursor_${index}`;
    await client.query(`declare ${cursor} no scroll cursor for select ctid from only ${relation}`);
    const update = {
      name: `parity-mask-${storage.schema}.${storage.table}`,
      text: `update only ${relation} set ${assignments} where ctid = any ($1::tid[])`,
    };
    for (;;) {
      const batch = await client.query<[string]>({
        text: `fetch ${batchSize} from ${cursor}`,
        rowMode: "array",
      });
      if (batch.rows.length === 0) break;
      const result = await client.query({ ...update, values: [batch.rows.map((row) => row[0])] });
      rows += result.rowCount ?? 0;
      batches += 1;
    }
    await client.query(`close ${cursor}`);
  }
  return {
    schema: table.schema,
    table: table.table,
    columns: table.columns.map((column) => ({
      column: column.column,
      transform: column.rule.transform,
      ...(column.followsForeignKeyFrom ? { followsForeignKeyFrom: column.followsForeignKeyFrom } : {}),
    })),
    rows,
    batches,
    durationMs: performance.now() - started,
  };
}

export class DanglingReferenceError extends Error {
  constructor(
    readonly foreignKey: string,
    readonly rows: number,
  ) {
    super(`${rows} row(s) violate foreign key ${foreignKey} after masking`);
    this.name = "DanglingReferenceError";
  }
}

/** MATCH SIMPLE semantics: a reference with any NULL column is not checked, as PostgreSQL does. */
async function verifyForeignKeys(client: pg.Client, foreignKeys: CatalogForeignKey[]): Promise<void> {
  for (const fk of foreignKeys) {
    const child = `${quoteIdent(fk.schema)}.${quoteIdent(fk.table)}`;
    const parent = `${quoteIdent(fk.referencedSchema)}.${quoteIdent(fk.referencedTable)}`;
    const notNull = fk.columns.map((column) => `c.${quoteIdent(column)} is not null`).join(" and ");
    const matches = fk.columns
      .map((column, i) => `p.${quoteIdent(fk.referencedColumns[i] ?? "")} = c.${quoteIdent(column)}`)
      .join(" and ");
    const result = await client.query<{ n: string }>(
      `select count(*) as n from ${child} c where ${notNull} and not exists (select 1 from ${parent} p where ${matches})`,
    );
    const dangling = Number(result.rows[0]?.n ?? 0);
    if (dangling > 0) throw new DanglingReferenceError(`${fk.schema}.${fk.table}.${fk.name}`, dangling);
  }
}

/** Known failures become clear input errors (exit 2); the transaction is already rolled back. */
function explainFailure(error: unknown): unknown {
  if (error instanceof ParityInputError) return error;
  const rolledBack = "masking was rolled back, the database is unchanged";
  if (error instanceof DanglingReferenceError) {
    return new ParityInputError(`${error.message}; ${rolledBack}`);
  }
  const pgError = error as {
    code?: string;
    message?: string;
    table?: string;
    constraint?: string;
    column?: string;
  };
  const explanations: Record<string, string> = {
    "23505": "masked values collide in a unique index",
    "23514": "a masked value violates a check constraint",
    "23502": "a masked value violates a NOT NULL constraint",
    "22001": "a masked value is too long for its column",
  };
  const explanation = pgError.code ? explanations[pgError.code] : undefined;
  if (explanation) {
    const where = [
      pgError.table && `table ${pgError.table}`,
      pgError.constraint && `constraint ${pgError.constraint}`,
    ]
      .filter(Boolean)
      .join(", ");
    return new ParityInputError(
      `${explanation}${where ? ` (${where})` : ""}: ${pgError.message}; ${rolledBack}`,
    );
  }
  return error;
}

/** Validates rules against a database without changing it (e.g. the source, before cloning it). */
export async function checkMaskingRules(
  databaseUrl: string,
  rules: MaskDatabaseOptions["rules"],
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin read only");
    const plan = planMasking(rules, await readMaskingCatalog(client));
    await checkFixedValues(client, plan, rules.file);
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}
