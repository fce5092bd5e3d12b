// Reads a baseline and its targets together, reading in full only what can differ.
//
// Staging, previews and restores are clones of production: they keep the OIDs of everything
// they had in common. When every target shares the baseline's oldest relations (OIDs and names),
// each database sends a 64-bit fingerprint of every relation (what the model compares for it and
// for its columns, indexes, constraints, triggers, policies, grants and comments, from the
// catalog rows as stored, never deparsed) and the identity of every other OID its stored
// expressions can name. What differs seeds the full read: relations whose fingerprint differs
// or that exist on one side, types, functions and collations that differ, and OIDs that name
// different things on each side (a renamed enum label, operator, schema, …). Each database then
// adds what names a seed (a default naming a changed sequence, a column of a changed type, a
// foreign key to a changed table) and the views built on any of it, and every database reads that
// same set of relations. The differ sees everything that differs and everything built on it;
// relations that are the same everywhere are left out of both models alike.
//
// Everything is read in full instead when the databases are not clones (their fingerprints
// would all differ), when most relations differ anyway, and on different majors or majors the
// fingerprint query does not know, whose catalog trees are not comparable.
import type { OpenRead } from "../introspect.ts";
import type { ReadPlan } from "../kinds/kind.ts";
import type { DatabaseSnapshot } from "../model.ts";
import { pairable, planRead } from "./plan.ts";

/**
 * Completes open reads of a baseline and its targets: the relations that can differ when the
 * fingerprints allow it, every relation otherwise. Every read is completed or closed, whatever
 * fails; the result holds each environment's snapshot or the error that stopped it.
 */
export async function completeTogether(
  baseline: OpenRead | undefined,
  targets: readonly OpenRead[],
  signal?: AbortSignal,
): Promise<Map<string, DatabaseSnapshot | Error>> {
  const all = baseline ? [baseline, ...targets] : [...targets];
  // Cancelled or timed out: drop every connection, so what is in flight rejects and nothing stays open.
  const cancel = () => {
    for (const read of all) read.cancel();
  };
  if (signal?.aborted) cancel();
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    return await completeAll(baseline, targets, all);
  } finally {
    signal?.removeEventListener("abort", cancel);
  }
}

async function completeAll(
  baseline: OpenRead | undefined,
  targets: readonly OpenRead[],
  all: readonly OpenRead[],
): Promise<Map<string, DatabaseSnapshot | Error>> {
  const results = new Map<string, DatabaseSnapshot | Error>();
  let plan: ReadPlan | null = null;
  if (baseline && targets.length > 0 && pairable(baseline, targets)) {
    try {
      plan = await planRead(all);
    } catch {
      // A read that failed here reports its error from complete() below; the others read in full.
      plan = null;
    }
  }
  await Promise.all(
    all.map(async (read) => {
      try {
        results.set(read.environment, await read.complete(plan));
      } catch (error) {
        results.set(read.environment, error as Error);
      }
    }),
  );
  return results;
}
