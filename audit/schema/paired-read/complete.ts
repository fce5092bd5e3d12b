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
// Databases that are not clones (built separately, or on another major) share no OIDs; they are
// paired by name instead (digests.ts, name-plan.ts): each sends a digest of the rows the full read
// would send for every relation, and only what differs, and what is built on it, is read and built.
// Everything is read in full when most relations differ, with a role map (owners the same as
// stored can be drift once mapped), and on majors the kinds' queries do not know.
import type { OpenRead } from "../introspect.ts";
import type { ReadPlan } from "../kinds/kind.ts";
import type { DatabaseSnapshot } from "../model.ts";
import { FINGERPRINT_MAJORS } from "./fingerprints.ts";
import { closureSeeds, type NamedDigests, namedPlans, namedSeedsOf } from "./name-plan.ts";
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
  { nameMinRelations = NAME_PAIRING_MIN_RELATIONS }: { nameMinRelations?: number } = {},
): Promise<Map<string, DatabaseSnapshot | Error>> {
  const all = baseline ? [baseline, ...targets] : [...targets];
  // Cancelled or timed out: drop every connection, so what is in flight rejects and nothing stays open.
  const cancel = () => {
    for (const read of all) read.cancel();
  };
  if (signal?.aborted) cancel();
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    return await completeAll(baseline, targets, all, nameMinRelations);
  } finally {
    signal?.removeEventListener("abort", cancel);
  }
}

async function completeAll(
  baseline: OpenRead | undefined,
  targets: readonly OpenRead[],
  all: readonly OpenRead[],
  nameMinRelations: number,
): Promise<Map<string, DatabaseSnapshot | Error>> {
  const results = new Map<string, DatabaseSnapshot | Error>();
  let plans: (ReadPlan | null)[] = all.map(() => null);
  if (baseline && targets.length > 0 && all.every((read) => read.pairing)) {
    try {
      if (pairable(baseline, targets)) {
        const plan = await planRead(all);
        plans = all.map(() => plan);
      } else if (pairableByName(all, nameMinRelations)) {
        plans = (await planByName(all)) ?? plans;
      }
    } catch {
      // A read that failed here reports its error from complete() below; the others read in full.
      plans = all.map(() => null);
    }
  }
  await Promise.all(
    all.map(async (read, index) => {
      try {
        results.set(read.environment, await read.complete(plans[index] ?? null));
      } catch (error) {
        results.set(read.environment, error as Error);
      }
    }),
  );
  return results;
}

/**
 * Schemas with fewer user relations than this (the oldest-relations sample is not full) are read in
 * full without digests: there the digests' extra round trips and the second read cost more than
 * the rows they save (a small schema's full read takes milliseconds).
 */
export const NAME_PAIRING_MIN_RELATIONS = 64;

/** Digests serve any majors whose catalogs the kinds' queries know, on schemas big enough to gain. */
function pairableByName(all: readonly OpenRead[], minRelations: number): boolean {
  return all.every(
    (read) =>
      read.engine.major >= FINGERPRINT_MAJORS.min &&
      read.engine.major <= FINGERPRINT_MAJORS.max &&
      (read.oldestRelations?.size ?? 0) >= minRelations,
  );
}

/** Each database's plan from the name-keyed digests (name-plan.ts), or null to read everything. */
async function planByName(all: readonly OpenRead[]): Promise<ReadPlan[] | null> {
  const digests = await Promise.all(all.map((read) => read.digests()));
  const seeds = namedSeedsOf(digests);
  if (seeds.relations.size * 2 > (digests[0]?.relations.size ?? 0)) return null;
  const reached = await Promise.all(
    all.map((read, index) => read.closure(closureSeeds(digests[index] as NamedDigests, seeds, index))),
  );
  return namedPlans(digests, seeds, reached);
}
