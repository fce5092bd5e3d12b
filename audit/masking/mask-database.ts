// Applies masking rules to a (cloned) database in ONE transaction: refuse production-looking names and
// busy databases, read the marker of an earlier run (marker.ts), validate everything, lock the masked
// tables against writers, rewrite each table (in one pass where nothing depends on its masked columns,
// rewrite.ts; else in batched UPDATEs, tsvector triggers firing), re-check the
// foreign keys that involve masked columns, refresh materialized views, record the marker, commit.
// Any failure rolls everything back, so a database is either fully masked or unchanged. After the
// commit the masked tables get fresh relation files and statistics (scrub.ts); a run interrupted
// there leaves `scrubbed: false` in the marker and the next run finishes the job.
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
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { ParityInputError } from "../core/errors.ts";
import { quoteIdent } from "../core/sql.ts";
import { type CatalogForeignKey, readMaskingCatalog } from "./catalog.ts";
import { connectTo } from "./connect.ts";
import { findCopiedOriginals } from "./copies.ts";
import { type ColumnStats, checkFit, type FitResult } from "./fit-check.ts";
import { createMaskingFunctions } from "./functions.ts";
import { refuseOtherSessions, refuseProduction } from "./guards.ts";
import { assertUsableKey, hmacPads } from "./hmac-key.ts";
import {
  decide,
  keyFingerprint,
  MASKING_ALGORITHM,
  type MaskingMarker,
  parityVersion,
  plannedColumns,
  readMarker,
  rulesDigest,
  writeMarker,
} from "./marker.ts";
import { type MaskingPlan, type PlannedTable, planMasking } from "./plan.ts";
import { rewritableTables, rewriteTable } from "./rewrite.ts";
import { enableRecomputeTriggers, refreshMatviews, rewriteAndAnalyze } from "./scrub.ts";
import { maskedValueSql, PAD_SETTINGS } from "./transforms.ts";
import type { MaskDatabaseOptions, MaskedTableReport, MaskReport } from "./types.ts";

export const DEFAULT_BATCH_SIZE = 50_000;

export async function maskDatabase(options: MaskDatabaseOptions): Promise<MaskReport> {
  const key = assertUsableKey(options.key, "the caller");
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ParityInputError(`batch size must be a positive integer, got ${batchSize}`);
  }
  refuseProduction(options.databaseUrl, options.allowProductionName ?? false);
  const started = performance.now();
  const client = await connectTo(options.databaseUrl);
  try {
    await refuseOtherSessions(client, options.allowOtherSessions ?? false);
    const marker = await readMarker(client);
    const fingerprint = keyFingerprint(key);
    // READ COMMITTED, with the masked tables locked against writers before any row is read: a row
    // another session commits while parity runs cannot slip past the batches.
    await client.query("begin");
    let run: MaskRun;
    try {
      run = await maskInTransaction(client, options, { key, batchSize, marker, fingerprint });
      if (options.dryRun) {
        await client.query("rollback");
      } else {
        await client.query("commit");
      }
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw explainFailure(error);
    }
    const { rows: xidRows } = await client.query<{ xid: string }>(
      "select (txid_current() % 4294967296)::text as xid",
    );
    // A fresh xid after the masking commit: every snapshot older than it may still see pre-mask rows.
    const scrubbed =
      options.dryRun || (run.outcome === "already masked" && run.marker.scrubbed)
        ? []
        : await rewriteAndAnalyze(client, run.plan, xidRows[0]?.xid ?? "0", run.rewritten);
    if (!options.dryRun && !run.marker.scrubbed) {
      run.marker = { ...run.marker, scrubbed: true };
      await writeMarker(client, run.marker);
    }
    return {
      outcome: options.dryRun ? "dry run" : run.outcome,
      tables: run.tables,
      rows: run.tables.reduce((sum, table) => sum + table.rows, 0),
      verifiedForeignKeys: run.plan.foreignKeys.map((fk) => `${fk.schema}.${fk.table}.${fk.name}`),
      refreshedViews: run.refreshedViews,
      scrubbed,
      recomputed: run.plan.recomputeTriggers.map(
        (trigger) => `${trigger.schema}.${trigger.table} (trigger ${trigger.name})`,
      ),
      marker: run.marker,
      ...(run.dryRun ? { dryRun: run.dryRun } : {}),
      durationMs: performance.now() - started,
    };
  } finally {
    await client.end();
  }
}

interface MaskRun {
  outcome: "masked" | "already masked";
  plan: MaskingPlan;
  /** Tables masked by the one-pass rewrite (rewrite.ts): fresh files already, only ANALYZE is owed. */
  rewritten: Set<string>;
  tables: MaskedTableReport[];
  refreshedViews: string[];
  marker: MaskingMarker;
  dryRun?: ColumnStats[];
}

async function maskInTransaction(
  client: pg.Client,
  options: MaskDatabaseOptions,
  context: { key: string | Buffer; batchSize: number; marker: MaskingMarker | null; fingerprint: string },
): Promise<MaskRun> {
  await client.query("set local standard_conforming_strings = on");
  await enterReplicaMode(client);
  const catalog = await readMaskingCatalog(client);
  let plan = planMasking(options.rules, catalog);
  await lockTables(client, plan);
  // Exact row counts where a unique column's output space is finite, then plan with them.
  plan = planMasking(options.rules, catalog, { rowCounts: await countRows(client, plan) });
  const columns = plannedColumns(plan);
  const decision = decide(context.marker, context.fingerprint, columns, options.onlyNewRules ?? false);
  if (decision.action === "refuse") throw new ParityInputError(`refusing to mask: ${decision.reason}`);
  if (decision.action === "already masked" && context.marker) {
    return {
      outcome: "already masked",
      plan,
      rewritten: new Set(),
      tables: [],
      refreshedViews: [],
      marker: context.marker,
    };
  }
  if (decision.action === "mask new columns") plan = onlyColumns(plan, decision.columns);

  await checkFixedValues(client, plan, options.rules.file);
  await refuseCopiedOriginals(client, plan, catalog, options.rules);
  await storeKey(client, context.key);
  await createMaskingFunctions(client);
  const dryRun = options.dryRun ? await dryRunStats(client, plan, catalog, options.rules.file) : undefined;

  const restoreTriggers = await enableRecomputeTriggers(client, plan.recomputeTriggers);
  const tables: MaskedTableReport[] = [];
  const pageRanges = await supportsTidRangeScans(client);
  const rewritten = await rewritableTables(client, plan);
  for (const table of plan.tables) {
    const key = `${table.schema}.${table.table}`;
    const onePass = rewritten.has(key) ? await maskInOnePass(client, table) : null;
    if (onePass && !("batchedBecause" in onePass)) {
      tables.push(onePass);
      continue;
    }
    // A table whose views could not be set aside (rewrite.ts) is masked in batches after all.
    rewritten.delete(key);
    const batched = await maskTable(client, table, context.batchSize, pageRanges);
    tables.push(onePass ? { ...batched, batchedBecause: onePass.batchedBecause } : batched);
  }
  await restoreTriggers();
  await verifyForeignKeys(client, plan.foreignKeys);
  const refreshedViews = await refreshMatviews(client, plan);
  const marker: MaskingMarker = {
    format: 1,
    parityVersion: parityVersion(),
    algorithm: MASKING_ALGORITHM,
    rulesDigest: rulesDigest({ ...(context.marker?.columns ?? {}), ...columns }),
    keyFingerprint: context.fingerprint,
    maskedAt: new Date().toISOString(),
    columns: { ...(context.marker?.columns ?? {}), ...columns },
    scrubbed: false,
  };
  // Recorded in the same transaction as the masked rows: either both are there or neither.
  await writeMarker(client, marker);
  return {
    outcome: "masked",
    plan,
    rewritten,
    tables,
    refreshedViews,
    marker,
    ...(dryRun ? { dryRun } : {}),
  };
}

async function dryRunStats(
  client: pg.Client,
  plan: MaskingPlan,
  catalog: Awaited<ReturnType<typeof readMaskingCatalog>>,
  file: string,
): Promise<ColumnStats[]> {
  const fit = await checkFit(client, plan, catalog, file);
  if (fit.problems.length > 0)
    throw new ParityInputError(`${file}: masked values do not fit the database`, fit.problems);
  return fit.columns;
}

/** EXCLUSIVE: readers go on, writers wait until the commit. Taken before any row is read. */
async function lockTables(client: pg.Client, plan: MaskingPlan): Promise<void> {
  if (plan.tables.length === 0) return;
  const names = plan.tables.map((table) => `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`);
  await client.query(`lock table ${names.join(", ")} in exclusive mode`);
}

async function countRows(client: pg.Client, plan: MaskingPlan): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of plan.tables) {
    if (!table.columns.some((column) => column.unique)) continue;
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from ${quoteIdent(table.schema)}.${quoteIdent(table.table)}`,
    );
    counts.set(`${table.schema}.${table.table}`, Number(rows[0]?.n ?? 0));
  }
  return counts;
}

function onlyColumns(plan: MaskingPlan, columns: Set<string>): MaskingPlan {
  const tables = plan.tables
    .map((table) => ({
      ...table,
      columns: table.columns.filter((column) =>
        columns.has(`${table.schema}.${table.table}.${column.column}`),
      ),
    }))
    .filter((table) => table.columns.length > 0);
  const touched = new Set(tables.map((table) => `${table.schema}.${table.table}`));
  return {
    ...plan,
    tables,
    recomputeTriggers: plan.recomputeTriggers.filter((trigger) =>
      touched.has(`${trigger.schema}.${trigger.table}`),
    ),
    foreignKeys: plan.foreignKeys.filter(
      (fk) =>
        touched.has(`${fk.schema}.${fk.table}`) ||
        touched.has(`${fk.referencedSchema}.${fk.referencedTable}`),
    ),
  };
}

async function supportsTidRangeScans(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ version: string }>(
    "select current_setting('server_version_num') as version",
  );
  return Number(rows[0]?.version) >= 140000;
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

async function refuseCopiedOriginals(
  client: pg.Client,
  plan: MaskingPlan,
  catalog: Awaited<ReturnType<typeof readMaskingCatalog>>,
  rules: MaskDatabaseOptions["rules"],
): Promise<void> {
  const problems = await findCopiedOriginals(client, plan, catalog, rules);
  if (problems.length > 0) {
    throw new ParityInputError(`${rules.file}: columns hold copies of masked values`, problems);
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
  // The pads are the key in all but name: keep them out of the server log even where statements are
  // logged with their bind parameters (log_statement, log_min_duration_statement, errors). These are
  // superuser settings (PostgreSQL 13+), which masking already requires.
  await client.query(`
    do $$ begin
      if current_setting('server_version_num')::int >= 130000 then
        set local log_parameter_max_length = 0;
        set local log_parameter_max_length_on_error = 0;
      end if;
    end $$`);
  // is_local: the settings end with the transaction (commit or rollback), and no other session sees them.
  await client.query("select set_config($1, $2, true), set_config($3, $4, true)", [
    PAD_SETTINGS.inner,
    pads.inner.toString("hex"),
    PAD_SETTINGS.outer,
    pads.outer.toString("hex"),
  ]);
}

function tableReport(table: PlannedTable): Pick<MaskedTableReport, "schema" | "table" | "columns"> {
  return {
    schema: table.schema,
    table: table.table,
    columns: table.columns.map((column) => ({
      column: column.column,
      transform: column.rule.transform,
      ...(column.followsForeignKeyFrom ? { followsForeignKeyFrom: column.followsForeignKeyFrom } : {}),
    })),
  };
}

async function maskInOnePass(
  client: pg.Client,
  table: PlannedTable,
): Promise<MaskedTableReport | { batchedBecause: string }> {
  const started = performance.now();
  const rewrite = await rewriteTable(client, table);
  if ("batchedBecause" in rewrite) return rewrite;
  return {
    ...tableReport(table),
    rows: rewrite.rows,
    batches: 1,
    onePass: true,
    durationMs: performance.now() - started,
  };
}

/**
 * Rewrites one table in batches, each an UPDATE that runs inside PostgreSQL: rows never pass through
 * Node, so a table of any size streams. The catch with batching an UPDATE is that a rewritten row gets
 * a new tuple version that a later batch could see and rewrite again (masking it twice), so:
 * - PostgreSQL 14+: batches are ranges of heap pages (a TID Range Scan, sequential I/O), and tuple
 *   versions this transaction wrote (xmin = our xid) are skipped.
 * - PostgreSQL 13 (no TID range scans): a cursor, whose snapshot predates the rewrite, hands out the
 *   ctids of the original rows and each batch updates exactly those. Slower: ctids make a round trip.
 */
async function maskTable(
  client: pg.Client,
  table: PlannedTable,
  batchSize: number,
  pageRanges: boolean,
): Promise<MaskedTableReport> {
  const started = performance.now();
  const assignments = table.columns
    .map((column) => `${quoteIdent(column.column)} = ${maskedValueSql(column, "init-plan")}`)
    .join(", ");
  let rows = 0;
  let batches = 0;
  for (const [index, storage] of table.storage.entries()) {
    const relation = `${quoteIdent(storage.schema)}.${quoteIdent(storage.table)}`;
    const name = `parity-mask-${index}-${storage.schema}.${storage.table}`;
    const batchResults = pageRanges
      ? updateByPageRanges(client, relation, assignments, batchSize, name)
      : updateByCursor(client, relation, assignments, batchSize, name);
    for await (const updated of batchResults) {
      rows += updated;
      batches += 1;
    }
  }
  return { ...tableReport(table), rows, batches, durationMs: performance.now() - started };
}

async function* updateByPageRanges(
  client: pg.Client,
  relation: string,
  assignments: string,
  batchSize: number,
  name: string,
): AsyncGenerator<number> {
  const { rows } = await client.query<{ pages: string; per_page: number; xid: string }>(
    `select pg_relation_size($1::regclass) / current_setting('block_size')::int as pages,
            case when c.relpages > 0 and c.reltuples > 0 then c.reltuples / c.relpages else 100 end as per_page,
            (txid_current() % 4294967296)::text as xid
       from pg_class c where c.oid = $1::regclass`,
    [relation],
  );
  const pages = Number(rows[0]?.pages ?? 0);
  const step = Math.max(1, Math.ceil(batchSize / Math.max(1, rows[0]?.per_page ?? 100)));
  const update = {
    name,
    text: `update only ${relation} set ${assignments}
            where ctid >= $1::tid and ctid < $2::tid and not (xmin = $3::xid)`,
  };
  for (let page = 0; page < pages; page += step) {
    const result = await client.query({
      ...update,
      values: [`(${page},0)`, `(${page + step},0)`, rows[0]?.xid],
    });
    yield result.rowCount ?? 0;
  }
}

async function* updateByCursor(
  client: pg.Client,
  relation: string,
  assignments: string,
  batchSize: number,
  name: string,
): AsyncGenerator<number> {
  await client.query(`declare parity_mask_cursor no scroll cursor for select ctid from only ${relation}`);
  const update = { name, text: `update only ${relation} set ${assignments} where ctid = any ($1::tid[])` };
  for (;;) {
    const batch = await client.query<[string]>({
      text: `fetch ${batchSize} from parity_mask_cursor`,
      rowMode: "array",
    });
    if (batch.rows.length === 0) break;
    const result = await client.query({ ...update, values: [batch.rows.map((row) => row[0])] });
    yield result.rowCount ?? 0;
  }
  await client.query("close parity_mask_cursor");
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

/**
 * `parity mask --check`: validates rules against a database and runs the masked expressions over its
 * rows (CHECK constraints, domains, lengths, collisions), in a transaction that is rolled back, so
 * nothing is written. Without a key, a random one stands in: fit does not depend on the key.
 */
export async function checkMaskingRules(
  databaseUrl: string,
  rules: MaskDatabaseOptions["rules"],
  options: { key?: string | Buffer; runOverRows?: boolean } = {},
): Promise<MaskingPlan & { fit: FitResult }> {
  const client = await connectTo(databaseUrl);
  try {
    await client.query("begin");
    await client.query("set local standard_conforming_strings = on");
    const catalog = await readMaskingCatalog(client);
    let plan = planMasking(rules, catalog);
    plan = planMasking(rules, catalog, { rowCounts: await countRows(client, plan) });
    await checkFixedValues(client, plan, rules.file);
    // Off for a clone's source (production): no full scan there, and no temp objects.
    if (options.runOverRows === false) return { ...plan, fit: { columns: [], problems: [] } };
    const copies = await findCopiedOriginals(client, plan, catalog, rules);
    await storeKey(client, options.key ?? randomBytes(32));
    await createMaskingFunctions(client);
    const fit = await checkFit(client, plan, catalog, rules.file);
    // Both kinds in one answer, so one --check run names every problem.
    if (copies.length > 0 || fit.problems.length > 0) {
      const what =
        fit.problems.length > 0
          ? "masked values do not fit the database"
          : "columns hold copies of masked values";
      throw new ParityInputError(`${rules.file}: ${what}`, [...copies, ...fit.problems]);
    }
    return { ...plan, fit };
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}
