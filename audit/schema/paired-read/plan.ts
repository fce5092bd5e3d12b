// Plans a paired read: which relations every database reads in full, which light, or null to
// read everything (see complete.ts).
import type { OpenRead } from "../introspect.ts";
import type { ReadPlan } from "../kinds/kind.ts";
import { FINGERPRINT_MAJORS, type Fingerprints } from "./fingerprints.ts";
import { looksCloned, seedsOf } from "./seeds.ts";

/** One supported major everywhere, and every target a clone of the baseline. */
export function pairable(baseline: OpenRead, targets: readonly OpenRead[]): boolean {
  const major = baseline.engine.major;
  if (major < FINGERPRINT_MAJORS.min || major > FINGERPRINT_MAJORS.max) return false;
  return targets.every((target) => target.engine.major === major && looksCloned(baseline, target));
}

/** The plan for a baseline (first) and its targets, or null to read everything. */
export async function planRead(all: readonly OpenRead[]): Promise<ReadPlan | null> {
  const prints = await Promise.all(all.map((read) => read.fingerprint()));
  const [first, ...rest] = prints as [Fingerprints, ...Fingerprints[]];
  const seeds = seedsOf(first, rest);
  // When most relations differ, following them all costs more than reading everything.
  const relationSeeds = [...seeds.renamed, ...seeds.changed].filter((oid) =>
    prints.some((print) => print.relations.has(oid)),
  ).length;
  if (relationSeeds * 2 > first.relations.size) return null;
  // What names a renamed seed prints it differently: read in full. What is only built on a
  // changed seed is read light, to name it as a dependent.
  const full = new Set<number>(seeds.renamed);
  const light = new Set<number>(seeds.changed);
  const reached = await Promise.all(all.map((read) => read.closure(seeds)));
  for (const { renamed, changed } of reached) {
    for (const oid of renamed) full.add(oid);
    for (const oid of changed) light.add(oid);
  }
  // Relations that differ themselves are read in full, whichever way they differ.
  for (const print of prints) {
    for (const oid of seeds.changed) if (print.relations.has(oid)) full.add(oid);
  }
  for (const oid of full) light.delete(oid);
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { full: sorted(full), light: sorted(light) };
}
