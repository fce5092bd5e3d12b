// Which relations the data check opens, decided from the catalog facts of every environment at
// once (pure). A sequence's position, or a column's live id range, is read only where it can
// change a data/sequence-divergence finding:
// - positions only for sequences whose table may have rows in the baseline or the target: where
//   the statistics say both are empty, no id names a row in either, so none can name two;
// - the baseline's live ids only where the target's next id is not past the baseline's last
//   issued one (the target is behind, so it will hand out ids the baseline may be using), or
//   where the baseline's rows did not come from its sequence (it has issued nothing);
// - the target's live ids only where its sequence has issued past the baseline's position (those
//   ids will name different rows: the target's rows are what the finding names), or where its
//   next id may land in the baseline's ids (the warning names the target's range too).
// A fresh clone has the same positions everywhere and reads no live range at all.
import { type CatalogSequence, type DataCatalog, knownEmpty } from "./catalog.ts";

export interface SequencePair {
  baseline: CatalogSequence;
  target: CatalogSequence;
}

/** Sequence pairs (same column) that may have rows on either side, for each target. */
export function pairsToPosition(
  baseline: DataCatalog,
  target: DataCatalog,
  inScope: (schema: string, table: string) => boolean,
): SequencePair[] {
  const baselineByColumn = new Map(baseline.sequences.map((sequence) => [columnOf(sequence), sequence]));
  const baselineTables = new Map(baseline.tables.map((table) => [table.oid, table]));
  const targetTables = new Map(target.tables.map((table) => [table.oid, table]));
  const pairs: SequencePair[] = [];
  for (const sequence of target.sequences) {
    if (!inScope(sequence.schema, sequence.table)) continue;
    const other = baselineByColumn.get(columnOf(sequence));
    if (!other || !inScope(other.schema, other.table)) continue;
    const baselineTable = baselineTables.get(other.tableOid);
    const targetTable = targetTables.get(sequence.tableOid);
    const emptyBoth =
      baselineTable !== undefined &&
      targetTable !== undefined &&
      knownEmpty(baselineTable, baseline.major) &&
      knownEmpty(targetTable, target.major);
    if (!emptyBoth) pairs.push({ baseline: other, target: sequence });
  }
  return pairs;
}

export interface Position {
  /** nextval()'s next answer; null when unreadable. */
  next: string | null;
  /** Whether the sequence handed out any value since creation or its last RESTART. */
  called: boolean;
}

export interface LiveNeeds {
  baseline: boolean;
  target: boolean;
}

/** Whether each side's live ids are needed for one pair, given both positions (see the header). */
export function liveNeeds(
  pair: SequencePair,
  positions: { baseline: Position; target: Position },
  mayHaveRows: { baseline: boolean; target: boolean },
): LiveNeeds {
  const { baseline, target } = positions;
  if (target.next === null) return { baseline: false, target: false };
  // Both called and at the same position (a fresh clone's every sequence): the target's next id
  // is past the baseline's last and it issued nothing past it, so neither side's ids are needed.
  if (baseline.called && target.next === baseline.next && pair.target.increment === pair.baseline.increment) {
    return { baseline: false, target: false };
  }
  const ascending = BigInt(pair.target.increment) > 0n;
  const beyond = (a: bigint, b: bigint) => (ascending ? a > b : a < b);
  const targetNext = BigInt(target.next);
  const targetLast = targetNext - BigInt(pair.target.increment);
  let baselineLive: boolean;
  let targetIssuedPast = false;
  if (baseline.next === null) {
    baselineLive = true;
  } else {
    const baselineLast = BigInt(baseline.next) - BigInt(pair.baseline.increment);
    baselineLive = !baseline.called || !beyond(targetNext, baselineLast);
    targetIssuedPast = beyond(targetLast, baselineLast);
  }
  return {
    baseline: baselineLive && pair.baseline.indexed && mayHaveRows.baseline,
    target: (baselineLive || targetIssuedPast) && pair.target.indexed && mayHaveRows.target,
  };
}

function columnOf(sequence: CatalogSequence): string {
  return `${sequence.schema}.${sequence.table}.${sequence.column}`;
}
