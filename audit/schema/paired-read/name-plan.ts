// Plans the paired read of databases that are not clones, by name (digests.ts): which relations
// each database reads in full and which light. Every database reads the same relations by name,
// each under its own OIDs, so a relation left out, or read light, is left out of every model alike.
import type { GlobalRows } from "../kinds/index.ts";
import type { ReadPlan } from "../kinds/kind.ts";
import { type RelationDigest, treeWithoutUserOids } from "./digests.ts";
import type { Seeds } from "./fingerprints.ts";

/** What a database sends for the name-keyed paired read. */
export interface NamedDigests {
  /** The objects that do not live on a relation, as read (types, functions, collations, …). */
  globalRows: GlobalRows;
  /** Every relation's digest, by relationKey. */
  relations: ReadonlyMap<string, RelationDigest>;
}

/** What differs, by name: relations (relationKey) and, per database, the OIDs of changed global objects. */
export interface NamedSeeds {
  relations: Set<string>;
  /** Per database (in the order given), the OIDs of types, functions and collations that differ. */
  globals: number[][];
}

/** The fields that name a global object, and those that hold its OIDs (different in every database). */
const GLOBAL_KINDS = {
  types: { name: ["schema", "name"], oids: ["oid", "array_type"] },
  functions: { name: ["schema", "name", "argument_types"], oids: ["oid"] },
  collations: { name: ["schema", "name"], oids: ["oid"] },
} as const;

type GlobalRow = Record<string, unknown> & { oid: number; array_type?: number | null };

/** Everything that differs between the first database and any other, by name. Pure. */
export function namedSeedsOf(all: readonly NamedDigests[]): NamedSeeds {
  const relations = new Set<string>();
  const [first, ...rest] = all as [NamedDigests, ...NamedDigests[]];
  const same = (a: RelationDigest | undefined, b: RelationDigest | undefined) =>
    a !== undefined && b !== undefined && a.kind === b.kind && a.digest === b.digest && a.view === b.view;
  for (const other of rest) {
    for (const [key, relation] of first.relations)
      if (!same(relation, other.relations.get(key))) relations.add(key);
    for (const key of other.relations.keys()) if (!first.relations.has(key)) relations.add(key);
  }
  const globals = all.map(() => [] as number[]);
  for (const kind of Object.keys(GLOBAL_KINDS) as (keyof typeof GLOBAL_KINDS)[]) {
    const { name, oids } = GLOBAL_KINDS[kind];
    const keyOf = (row: GlobalRow) => JSON.stringify(name.map((field) => row[field]));
    // A row without its OIDs: what the model compares of it.
    // Stored OVERLAPS trees (…_overlaps) hold OIDs too: compared without them, as digests.ts does.
    const bodyOf = (row: GlobalRow) =>
      JSON.stringify(
        Object.entries(row)
          .filter(([field]) => !(oids as readonly string[]).includes(field))
          .map(([field, value]) => [
            field,
            field.endsWith("overlaps") && value !== null ? treeWithoutUserOids(JSON.stringify(value)) : value,
          ]),
      );
    const bodies = all.map((digests) => {
      const byName = new Map<string, { row: GlobalRow; body: string }>();
      for (const row of digests.globalRows[kind] as unknown as GlobalRow[])
        byName.set(keyOf(row), { row, body: bodyOf(row) });
      return byName;
    });
    const names = new Set(bodies.flatMap((byName) => [...byName.keys()]));
    for (const key of names) {
      const sides = bodies.map((byName) => byName.get(key));
      const firstBody = sides[0]?.body;
      if (sides.every((side) => side !== undefined && side.body === firstBody)) continue;
      sides.forEach((side, index) => {
        if (!side) return;
        globals[index]?.push(side.row.oid);
        if (side.row.array_type) globals[index]?.push(side.row.array_type);
      });
    }
  }
  return { relations, globals };
}

/**
 * Each database's seeds for its closure: the relations that differ, their row types, and the
 * global objects that differ. A digest prints every name a relation's definitions hold, so what is
 * built on a seed without differing itself is only read light, to name it as a dependent.
 */
export function closureSeeds(digests: NamedDigests, seeds: NamedSeeds, index: number): Seeds {
  const changed: number[] = [...(seeds.globals[index] ?? [])];
  for (const key of seeds.relations) {
    const relation = digests.relations.get(key);
    if (!relation) continue;
    changed.push(relation.oid, relation.rowType);
    if (relation.arrayType) changed.push(relation.arrayType);
  }
  return { renamed: [], changed: [...new Set(changed)].sort((a, b) => a - b) };
}

/**
 * Each database's plan, given the seeds and each database's closure (the relations, by OID,
 * built on a seed there): the relations that differ read in full, what is built on them read
 * light, both by name in every database. Null: read everything (most relations differ).
 */
export function namedPlans(
  all: readonly NamedDigests[],
  seeds: NamedSeeds,
  reached: readonly Seeds[],
): ReadPlan[] | null {
  const first = all[0];
  if (!first) return null;
  if (seeds.relations.size * 2 > first.relations.size) return null;
  const full = new Set<string>(seeds.relations);
  const light = new Set<string>();
  reached.forEach((closure, index) => {
    const byOid = new Map<number, string>();
    for (const [key, relation] of all[index]?.relations ?? []) byOid.set(relation.oid, key);
    const add = (oids: readonly number[], into: Set<string>) => {
      for (const oid of oids) {
        const key = byOid.get(oid);
        if (key !== undefined) into.add(key);
      }
    };
    add(closure.renamed, full);
    add(closure.changed, light);
  });
  for (const key of full) light.delete(key);
  const oidsIn = (digests: NamedDigests, keys: Iterable<string>) => {
    const oids: number[] = [];
    for (const key of keys) {
      const relation = digests.relations.get(key);
      if (relation) oids.push(relation.oid);
    }
    return oids.sort((a, b) => a - b);
  };
  return all.map((digests) => ({ full: oidsIn(digests, full), light: oidsIn(digests, light) }));
}
