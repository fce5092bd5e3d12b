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
import {
  FINGERPRINT_MAJORS,
  type Fingerprints,
  type OpenRead,
  type ReadPlan,
  type Seeds,
} from "../introspect.ts";
import type { DatabaseSnapshot } from "../model.ts";

/** Everything that differs between the baseline and any target (see `Seeds`). Pure. */
export function seedsOf(baseline: Fingerprints, targets: readonly Fingerprints[]): Seeds {
  const renamed = new Set<number>();
  const changed = new Set<number>();
  for (const target of targets) {
    addRelationSeeds(baseline, target, renamed, changed);
    addGlobalRowSeeds(baseline, target, renamed, changed);
    addIdentitySeeds(baseline, target, renamed);
  }
  for (const oid of renamed) changed.delete(oid);
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { renamed: sorted(renamed), changed: sorted(changed) };
}

/**
 * Whether `target` looks like a clone of `baseline`: at least half of the oldest relations of the
 * smaller sample have the same OID and name on both sides. Databases built separately (from the
 * same migrations, say) share none, and every relation would be a seed.
 */
export function looksCloned(baseline: OpenRead, target: OpenRead): boolean {
  const ours = baseline.oldestRelations;
  const theirs = target.oldestRelations;
  if (!ours || !theirs || ours.size === 0 || theirs.size === 0) return false;
  let shared = 0;
  for (const [oid, name] of theirs) if (ours.get(oid) === name) shared += 1;
  return shared * 2 >= Math.min(ours.size, theirs.size);
}

function addRelationSeeds(
  baseline: Fingerprints,
  target: Fingerprints,
  renamed: Set<number>,
  changed: Set<number>,
) {
  const before = baseline.relations;
  const after = target.relations;
  const seed = (oid: number) => {
    const sides = [before.get(oid), after.get(oid)];
    const into = sides[0] && sides[1] && sides[0].names === sides[1].names ? changed : renamed;
    into.add(oid);
    // Columns of the relation's row type (or its array) name the type, not the relation.
    for (const side of sides) {
      if (!side) continue;
      if (side.rowType) into.add(side.rowType);
      if (side.arrayType) into.add(side.arrayType);
    }
  };
  for (const [oid, relation] of before) {
    if (after.get(oid)?.fingerprint !== relation.fingerprint) seed(oid);
  }
  for (const oid of after.keys()) if (!before.has(oid)) seed(oid);
}

const NAME_FIELDS = {
  types: ["schema", "name"],
  functions: ["schema", "name", "argument_types"],
  collations: ["schema", "name"],
} as const;

/** Types, functions and collations are read in full on both sides; compare them by OID. */
function addGlobalRowSeeds(
  baseline: Fingerprints,
  target: Fingerprints,
  renamed: Set<number>,
  changed: Set<number>,
) {
  for (const kind of ["types", "functions", "collations"] as const) {
    type Row = { oid: number; array_type?: number } & Record<string, unknown>;
    const nameOf = (row: Row) => NAME_FIELDS[kind].map((field) => String(row[field])).join("\u0000");
    const before = new Map<number, Row>();
    for (const row of baseline.globalRows[kind] as unknown as Row[]) before.set(row.oid, row);
    const seen = new Set<number>();
    const seed = (row: Row, into: Set<number>) => {
      into.add(row.oid);
      if (row.array_type) into.add(row.array_type);
    };
    for (const row of target.globalRows[kind] as unknown as Row[]) {
      seen.add(row.oid);
      const other = before.get(row.oid);
      if (!other) seed(row, renamed);
      else if (nameOf(other) !== nameOf(row)) seed(row, renamed);
      else if (JSON.stringify(other) !== JSON.stringify(row)) seed(row, changed);
    }
    for (const row of baseline.globalRows[kind] as unknown as Row[])
      if (!seen.has(row.oid)) seed(row, renamed);
  }
}

/** An OID both sides hold but for different things: whatever names it deparses differently. */
function addIdentitySeeds(baseline: Fingerprints, target: Fingerprints, renamed: Set<number>) {
  const before = baseline.identity;
  const after = target.identity;
  for (const [oid, line] of after) {
    const other = before.get(oid);
    if (other && other.identity !== line.identity) {
      renamed.add(line.standIn);
      renamed.add(other.standIn);
    }
  }
}

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

/** One supported major everywhere, and every target a clone of the baseline. */
function pairable(baseline: OpenRead, targets: readonly OpenRead[]): boolean {
  const major = baseline.engine.major;
  if (major < FINGERPRINT_MAJORS.min || major > FINGERPRINT_MAJORS.max) return false;
  return targets.every((target) => target.engine.major === major && looksCloned(baseline, target));
}

/** The plan for a baseline (first) and its targets, or null to read everything. */
async function planRead(all: readonly OpenRead[]): Promise<ReadPlan | null> {
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
