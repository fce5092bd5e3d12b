// What leaves no original behind after the masking UPDATEs: tsvector triggers fired during the rewrite
// (user triggers are otherwise off in replica mode), materialized views refreshed (a new heap), and,
// after the commit, every table masked by UPDATEs rewritten into fresh relation files with VACUUM FULL (heap,
// TOAST and indexes: the pre-mask row versions are dead tuples in the old files, which a file-level
// copy such as CREATE DATABASE … TEMPLATE or a disk snapshot would carry along; a table masked in one
// pass by rewrite.ts has fresh files already) and re-analyzed, so
// pg_stats holds masked values only; then pg_statistic itself is rewritten, as its old rows are dead
// tuples holding the old histograms.
//
// Why not write the masked rows into a new table and swap it in: the swap must recreate indexes,
// constraints, grants, triggers, policies and every view or foreign key that names the table, and each
// one it misses is schema drift against production. VACUUM FULL keeps the table and only gives it new
// files. Its cost is in bench/masking-bench.ts (the "scrub" line).
import type pg from "pg";
import { ParityInputError } from "../core/errors.ts";
import { quoteIdent } from "../core/sql.ts";
import type { CatalogTrigger } from "./catalog.ts";
import type { MaskingPlan } from "./plan.ts";

const relation = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/** Makes the tsvector triggers fire in replica mode for this transaction; returns how to undo it. */
export async function enableRecomputeTriggers(
  client: pg.ClientBase,
  triggers: CatalogTrigger[],
): Promise<() => Promise<void>> {
  const restore: string[] = [];
  for (const trigger of triggers) {
    const table = relation(trigger.schema, trigger.table);
    const name = quoteIdent(trigger.name);
    await client.query(`alter table ${table} enable always trigger ${name}`);
    const previous =
      trigger.enabled === "D"
        ? "disable trigger"
        : trigger.enabled === "R"
          ? "enable replica trigger"
          : trigger.enabled === "A"
            ? "enable always trigger"
            : "enable trigger";
    restore.push(`alter table ${table} ${previous} ${name}`);
  }
  return async () => {
    for (const statement of restore) await client.query(statement);
  };
}

/** Inside the masking transaction: REFRESH writes each view into a new heap; the old one goes at commit. */
export async function refreshMatviews(client: pg.ClientBase, plan: MaskingPlan): Promise<string[]> {
  const refreshed: string[] = [];
  for (const view of plan.matviews) {
    await client.query(`refresh materialized view ${relation(view.schema, view.name)}`);
    refreshed.push(`${view.schema}.${view.name}`);
  }
  return refreshed;
}

/** The relations to rewrite and analyze: masked tables' leaves, then partitioned parents, then matviews. */
export function scrubTargets(
  plan: MaskingPlan,
  rewritten: ReadonlySet<string> = new Set(),
): { rewrite: string[]; analyzeOnly: string[] } {
  // A table masked by the one-pass rewrite already has fresh files holding masked rows only.
  const onePass = plan.tables.filter((table) => rewritten.has(`${table.schema}.${table.table}`));
  const rewrite = plan.tables
    .filter((table) => !onePass.includes(table))
    .flatMap((table) => table.storage.map((leaf) => relation(leaf.schema, leaf.table)));
  const parents = plan.tables
    .filter((table) => table.storage.length !== 1 || table.storage[0]?.table !== table.table)
    .map((table) => relation(table.schema, table.table));
  const views = plan.matviews.map((view) => relation(view.schema, view.name));
  return {
    rewrite: [...rewrite, ...views],
    analyzeOnly: [...onePass.map((table) => relation(table.schema, table.table)), ...parents],
  };
}

/**
 * VACUUM FULL keeps a dead row version that a running transaction might still see, so the old
 * versions survive while any session in this database holds a snapshot from before the masking
 * commit. Autovacuum workers are cancelled (they restart later); anyone else is waited for, then named.
 */
async function awaitNoOlderSnapshots(client: pg.ClientBase, xid: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await client.query<{ pid: number; backend_type: string; application_name: string }>(
      `select pid, backend_type, application_name from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_xmin is not null
          and age(backend_xmin) >= age($1::xid)`,
      [xid],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      if (row.backend_type === "autovacuum worker")
        await client.query("select pg_cancel_backend($1)", [row.pid]);
    }
    if (Date.now() >= deadline && rows.some((row) => row.backend_type !== "autovacuum worker")) {
      throw new ParityInputError(
        "masking committed, but another session holds a snapshot from before it, so the pre-mask row versions cannot leave the relation files yet; end it and run parity mask again to finish (the database records scrubbed: false)",
        rows.map(
          (row) =>
            `pid ${row.pid} (${row.backend_type}${row.application_name ? `, ${row.application_name}` : ""})`,
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * VACUUM FULL, repeated while it had to keep dead row versions (a transaction somewhere may still see
 * them: backends still connecting, or in other databases on PostgreSQL's wider horizons), and refused
 * as done when they are still kept at the deadline.
 */
async function rewrite(client: pg.ClientBase, name: string, deadline: number, analyze = true): Promise<void> {
  for (;;) {
    const kept: number[] = [];
    const listener = (notice: { message?: string; detail?: string }) => {
      const match = /(\d+) dead row versions cannot be removed yet/.exec(
        `${notice.message ?? ""} ${notice.detail ?? ""}`,
      );
      if (match) kept.push(Number(match[1]));
    };
    client.on("notice", listener);
    try {
      await client.query(`vacuum (full, ${analyze ? "analyze, " : ""}verbose) ${name}`);
    } finally {
      client.off("notice", listener);
    }
    const total = kept.reduce((sum, n) => sum + n, 0);
    if (total === 0) return;
    if (Date.now() >= deadline) {
      throw new ParityInputError(
        `masking committed, but VACUUM FULL of ${name} had to keep ${total} pre-mask row version(s) that a running transaction may still see; end it and run parity mask again to finish (the database records scrubbed: false)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** After the commit (VACUUM cannot run in a transaction block); `xid` is the masking transaction's. */
export async function rewriteAndAnalyze(
  client: pg.ClientBase,
  plan: MaskingPlan,
  xid: string,
  rewritten: ReadonlySet<string> = new Set(),
  waitMs = 30_000,
): Promise<string[]> {
  const { rewrite: relations, analyzeOnly } = scrubTargets(plan, rewritten);
  const deadline = Date.now() + waitMs;
  await awaitNoOlderSnapshots(client, xid, waitMs);
  for (const name of relations) await rewrite(client, name, deadline);
  for (const name of analyzeOnly) await client.query(`analyze ${name}`);
  if (relations.length + analyzeOnly.length > 0) {
    // Checked like the tables: the statistics ANALYZE replaced are dead rows holding the originals'
    // histograms, and a transaction that started before the ANALYZE (an autovacuum worker, under
    // load) keeps them through a single VACUUM FULL.
    await rewrite(client, "pg_catalog.pg_statistic", deadline, false);
    await rewrite(client, "pg_catalog.pg_statistic_ext_data", deadline, false);
  }
  return [...relations, ...analyzeOnly].map((name) => name.replaceAll('"', ""));
}
