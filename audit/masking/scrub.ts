// What leaves no original behind after the masking UPDATEs: tsvector triggers fired during the rewrite
// (user triggers are otherwise off in replica mode), materialized views refreshed (a new heap), and,
// after the commit, every masked table rewritten into fresh relation files with VACUUM FULL (heap,
// TOAST and indexes: the pre-mask row versions are dead tuples in the old files, which a file-level
// copy such as CREATE DATABASE … TEMPLATE or a disk snapshot would carry along) and re-analyzed, so
// pg_stats holds masked values only; then pg_statistic itself is rewritten, as its old rows are dead
// tuples holding the old histograms.
//
// Why not write the masked rows into a new table and swap it in: the swap must recreate indexes,
// constraints, grants, triggers, policies and every view or foreign key that names the table, and each
// one it misses is schema drift against production. VACUUM FULL keeps the table and only gives it new
// files. Its cost is in bench/masking-bench.ts (the "scrub" line).
import type pg from "pg";
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
export function scrubTargets(plan: MaskingPlan): { rewrite: string[]; analyzeOnly: string[] } {
  const rewrite = plan.tables.flatMap((table) =>
    table.storage.map((leaf) => relation(leaf.schema, leaf.table)),
  );
  const parents = plan.tables
    .filter((table) => table.storage.length !== 1 || table.storage[0]?.table !== table.table)
    .map((table) => relation(table.schema, table.table));
  const views = plan.matviews.map((view) => relation(view.schema, view.name));
  return { rewrite: [...rewrite, ...views], analyzeOnly: parents };
}

/** After the commit (VACUUM cannot run in a transaction block). */
export async function rewriteAndAnalyze(client: pg.ClientBase, plan: MaskingPlan): Promise<string[]> {
  const { rewrite, analyzeOnly } = scrubTargets(plan);
  for (const name of rewrite) await client.query(`vacuum (full, analyze) ${name}`);
  for (const name of analyzeOnly) await client.query(`analyze ${name}`);
  if (rewrite.length > 0) {
    await client.query("vacuum full pg_catalog.pg_statistic");
    await client.query("vacuum full pg_catalog.pg_statistic_ext_data");
  }
  return [...rewrite, ...analyzeOnly].map((name) => name.replaceAll('"', ""));
}
