// What differs between a baseline's fingerprints and its targets': the seeds of the full read. Pure.
import type { OpenRead } from "../introspect.ts";
import type { Fingerprints, Seeds } from "./fingerprints.ts";

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
