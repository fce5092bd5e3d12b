// What a database sends for the paired read before anything is deparsed: one fingerprint per
// relation and the identity of every other OID its stored expressions can name (queries.ts),
// parsed from one text value each.
import type { GlobalRows } from "../kinds/index.ts";

/** The majors whose catalogs the fingerprint query knows. */
export const FINGERPRINT_MAJORS = { min: 13, max: 18 } as const;

/** One relation's fingerprint, and the types that stand for it in other objects. */
export interface RelationFingerprint {
  fingerprint: string;
  /** Hash of what other objects' definitions print of it (its name, its columns' names). */
  names: string;
  rowType: number;
  arrayType: number | null;
}

export interface IdentityLine {
  /** The OID to look for in pg_depend when this one's identity differs (an enum label's type). */
  standIn: number;
  identity: string;
}

/** A fingerprint per relation, and what every other OID its expressions can name stands for. */
export interface Fingerprints {
  /** The objects that do not live on a relation, as read (types, functions, collations, …). */
  globalRows: GlobalRows;
  relations: ReadonlyMap<number, RelationFingerprint>;
  identity: ReadonlyMap<number, IdentityLine>;
}

/**
 * OIDs in the paired read's two kinds. As seeds, what differs between the baseline and any
 * target: `renamed`, what other objects' definitions print differently now (a name, a column
 * name, an OID that names something else); `changed`, the rest, which only matters for what is
 * built on it. As a closure's answer, the relations reached from each kind.
 */
export interface Seeds {
  renamed: readonly number[];
  changed: readonly number[];
}

/**
 * `oid row-type array-type fingerprint names` lines (fingerprintQuery) into a map by OID. One
 * text value parses in a fraction of the time 4,000 rows take through the wire protocol.
 */
export function parseFingerprintLines(text: string): Map<number, RelationFingerprint> {
  const fingerprints = new Map<number, RelationFingerprint>();
  if (text === "") return fingerprints;
  for (const line of text.split("\n")) {
    const [oid, rowType, arrayType, fingerprint, names] = line.split(" ");
    fingerprints.set(Number(oid), {
      fingerprint: fingerprint as string,
      names: names as string,
      rowType: Number(rowType),
      arrayType: arrayType === "0" ? null : Number(arrayType),
    });
  }
  return fingerprints;
}

/** `oid<TAB>stand-in<TAB>identity` lines (IDENTITY_QUERY) into a map by OID. */
export function parseIdentityLines(text: string): Map<number, IdentityLine> {
  const lines = new Map<number, IdentityLine>();
  if (text === "") return lines;
  for (const line of text.split("\n")) {
    const first = line.indexOf("\t");
    const second = line.indexOf("\t", first + 1);
    lines.set(Number(line.slice(0, first)), {
      standIn: Number(line.slice(first + 1, second)),
      identity: line.slice(second + 1),
    });
  }
  return lines;
}
