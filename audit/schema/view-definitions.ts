// Views' definitions, deparsed in batches that each give back their locks.
//
// pg_get_viewdef locks the view and every relation its query reads (the rewriter's
// AcquireRewriteLocks) until the transaction ends, so reading every view in the one catalog
// transaction held ~700 relation locks at 2,000 tables and ~3,400 at 10,000: a share of the
// server's lock table (max_locks_per_transaction × max_connections) that a read-only audit must not
// take from production's sessions. Each batch runs inside a savepoint that is rolled back once its
// rows are sent: a subtransaction's locks end with it, and the transaction's snapshot (REPEATABLE
// READ) stays the same, so every batch still reads the one consistent catalog. All batches go in
// one simple-query message, one round trip.
import type pg from "pg";
import { canonicalOverlaps, overlapsTreeSql } from "./overlaps.ts";

/** Views deparsed per savepoint: with the relations they read, the most locks held at once. */
export const VIEWS_PER_BATCH = 32;

const VIEW_OVERLAPS = `(SELECT ${overlapsTreeSql("r.ev_action")} FROM pg_rewrite r WHERE r.ev_class = v.oid AND r.rulename = '_RETURN')`;

export function viewDefinitionsSql(oids: readonly number[]): string {
  const statements: string[] = [];
  for (let start = 0; start < oids.length; start += VIEWS_PER_BATCH) {
    const batch = oids.slice(start, start + VIEWS_PER_BATCH);
    // Integers only (catalog OIDs), so inlining them cannot inject anything.
    const list = batch.map((oid) => String(Math.trunc(Number(oid)))).join(",");
    statements.push(
      "SAVEPOINT parity_views",
      // With the query's node tree when it calls OVERLAPS (overlaps.ts).
      `SELECT v.oid::int8 AS oid, pg_get_viewdef(v.oid) AS definition, ${VIEW_OVERLAPS} AS overlaps FROM unnest('{${list}}'::oid[]) AS v(oid)`,
      "ROLLBACK TO SAVEPOINT parity_views",
      "RELEASE SAVEPOINT parity_views",
    );
  }
  return `${statements.join(";\n")};`;
}

/**
 * Every view's definition by OID, read on `client` inside its open catalog transaction, with
 * OVERLAPS printed alike on every major (overlaps.ts).
 */
export async function readViewDefinitions(
  client: pg.Client,
  oids: readonly number[],
): Promise<Map<number, string | null>> {
  const definitions = new Map<number, string | null>();
  if (oids.length === 0) return definitions;
  const results = (await client.query(viewDefinitionsSql(oids))) as unknown as
    | pg.QueryResult
    | pg.QueryResult[];
  for (const result of Array.isArray(results) ? results : [results]) {
    if (result.command !== "SELECT") continue;
    for (const row of result.rows as { oid: string; definition: string | null; overlaps: string | null }[]) {
      definitions.set(Number(row.oid), canonicalOverlaps(row.definition, [row.overlaps]));
    }
  }
  return definitions;
}
