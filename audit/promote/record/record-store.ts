// What a record log is stored in (a directory, an S3 prefix): raw entries in sequence order and one
// exclusive create. Names are `000001.json`: a plain listing is chain order, and the name is the
// sequence number alone, so two appenders that both want number 2 want the same name and the
// exclusive create lets only one have it (with the record's id in the name, `000002-<a>.json` and
// `000002-<b>.json` would both be created: the test of two concurrent appends caught that).

/** One stored record as found, before any parsing: what verify reports problems against. */
export interface RecordLogEntry {
  /** The file name or object key. */
  name: string;
  /** From the name (`000042.json` → 42); null when the name is not a record's. */
  sequence: number | null;
  /** The record's text; undefined when it could not be read (see `error`). */
  text?: string;
  error?: string;
}

/** The read error of a log entry that is there but is no file (a FIFO, a directory): a problem, not I/O. */
export const NOT_A_FILE = "not a regular file";

/** A name in the log, before anything is read. */
export interface RecordName {
  name: string;
  sequence: number | null;
}

export interface RecordStore {
  describe(): string;
  /** Every name in the log, sorted (records by sequence number, then any others by name); nothing read. */
  names(): Promise<RecordName[]>;
  /** One record's text, or why it could not be read. */
  read(name: string): Promise<{ text?: string; error?: string }>;
  /** Writes `text` under `name` only if nothing is there; "exists" when something already was. */
  createExclusive(name: string, text: string): Promise<"created" | "exists">;
}

/** The entries of these names: records read in order, other names listed without being read. */
export async function readEntries(
  store: RecordStore,
  names: readonly RecordName[],
): Promise<RecordLogEntry[]> {
  const entries: RecordLogEntry[] = [];
  for (const { name, sequence } of names) {
    entries.push(sequence === null ? { name, sequence } : { name, sequence, ...(await store.read(name)) });
  }
  return entries;
}

const NAME = /^(\d+)\.json$/;
/** Six digits keep `ls` in chain order for the first 999 999 records; sequences compare as numbers. */
const SEQUENCE_WIDTH = 6;

export function recordFileName(sequence: number): string {
  return `${String(sequence).padStart(SEQUENCE_WIDTH, "0")}.json`;
}

/** The sequence number a record's name claims, or null for a name that is not a record's. */
export function parseRecordName(name: string): { sequence: number } | null {
  const match = NAME.exec(name);
  if (!match) return null;
  return { sequence: Number(match[1]) };
}

/** Records by sequence number (numerically), then names that are not records', by name. */
export function sortEntries<T extends RecordName>(entries: T[]): T[] {
  return entries.sort((a, b) => {
    if (a.sequence !== null && b.sequence !== null && a.sequence !== b.sequence)
      return a.sequence - b.sequence;
    if (a.sequence === null && b.sequence !== null) return 1;
    if (a.sequence !== null && b.sequence === null) return -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}
