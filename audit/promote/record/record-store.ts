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

export interface RecordStore {
  describe(): string;
  entries(): Promise<RecordLogEntry[]>;
  /** Writes `text` under `name` only if nothing is there; "exists" when something already was. */
  createExclusive(name: string, text: string): Promise<"created" | "exists">;
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
export function sortEntries(entries: RecordLogEntry[]): RecordLogEntry[] {
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
