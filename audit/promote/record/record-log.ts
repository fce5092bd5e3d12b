// The promotion record log: an append-only sequence of signed records, in a directory or under an S3
// prefix, one file (object) per record named `000001.json` so a plain listing is chain order.
// The log only stores and orders; what a record means and whether the chain holds is verify-log.ts.
// Appending is optimistic: the caller says which record it chained to, and the exclusive create of
// the next sequence number guarantees that of two concurrent appends exactly one wins.
import type { S3Client } from "@aws-sdk/client-s3";
import { ParityInputError } from "../../core/errors.ts";
import { type SignedRecord, signedRecordSchema } from "./record-file.ts";
import { DirectoryStore } from "./record-log-directory.ts";
import { S3Store } from "./record-log-s3.ts";
import { type RecordLogEntry, type RecordStore, readEntries, recordFileName } from "./record-store.ts";

export type { RecordLogEntry, RecordStore } from "./record-store.ts";

export interface RecordLog {
  describe(): string;
  /** Every record in chain order, parsed; throws naming the first that is not a record. [] for a new log. */
  list(): Promise<SignedRecord[]>;
  /** Refuses (RecordLogConflictError) unless the log's last hash is `expectedPreviousHash`. */
  append(record: SignedRecord, expectedPreviousHash: string | null): Promise<void>;
  /** The raw entries in sequence order, for verification (added to the contract for verify-log.ts). */
  entries(): Promise<RecordLogEntry[]>;
  /** The last record only (null for an empty log): what appending chains to, without reading the rest. */
  last(): Promise<SignedRecord | null>;
}

/** Someone else appended since the caller read the log: re-read, re-plan, try again. */
export class RecordLogConflictError extends ParityInputError {
  constructor(log: string, detail: string) {
    super(
      `record log ${log} changed while appending: ${detail}; another promotion appended first — re-run it`,
    );
    this.name = "RecordLogConflictError";
  }
}

export function openRecordLog(spec: string, options: { s3Client?: S3Client; cwd?: string } = {}): RecordLog {
  if (spec.trim() === "")
    throw new ParityInputError("the record log is empty: name a directory or s3://bucket/prefix");
  const store: RecordStore = spec.startsWith("s3://")
    ? new S3Store(spec, options.s3Client)
    : new DirectoryStore(spec, options.cwd ?? process.cwd());
  return logOver(store);
}

export function logOver(store: RecordStore): RecordLog {
  const entries = async () => readEntries(store, await store.names());
  /** The last record-named entry and its record, reading that one only. */
  const lastRecord = async () => {
    const name = (await store.names()).filter((entry) => entry.sequence !== null).at(-1);
    if (!name) return null;
    const entry: RecordLogEntry = { ...name, ...(await store.read(name.name)) };
    return { entry, record: parseEntry(store, entry) };
  };
  return {
    describe: () => store.describe(),
    entries,
    async list() {
      return (await entries())
        .filter((entry) => entry.sequence !== null)
        .map((entry) => parseEntry(store, entry));
    },
    async last() {
      return (await lastRecord())?.record ?? null;
    },
    async append(record, expectedPreviousHash) {
      const parsed = signedRecordSchema.safeParse(record);
      if (!parsed.success)
        throw new Error(`appending a record that does not match its schema: ${parsed.error.message}`);
      if (record.body.previousHash !== expectedPreviousHash) {
        throw new Error("appending a record whose previousHash is not the expected previous hash");
      }
      const last = await lastRecord();
      const lastHash = last?.record.hash ?? null;
      if (lastHash !== expectedPreviousHash) {
        throw new RecordLogConflictError(
          store.describe(),
          `its last record is ${last?.entry.name ?? "none"} (hash ${lastHash ?? "none"}), not ${expectedPreviousHash ?? "an empty log"}`,
        );
      }
      const name = recordFileName((last?.entry.sequence ?? 0) + 1);
      const text = `${JSON.stringify(record, null, 2)}\n`;
      // Two appenders that read the same last record both want this sequence number: only one create wins.
      const outcome = await store.createExclusive(name, text);
      if (outcome === "exists") {
        throw new RecordLogConflictError(
          store.describe(),
          `record ${name} was written by someone else meanwhile`,
        );
      }
    },
  };
}

function parseEntry(store: RecordStore, entry: RecordLogEntry): SignedRecord {
  const where = `record ${entry.name} in ${store.describe()}`;
  if (entry.text === undefined)
    throw new ParityInputError(`cannot read ${where}: ${entry.error ?? "unreadable"}`);
  let json: unknown;
  try {
    json = JSON.parse(entry.text);
  } catch (error) {
    throw new ParityInputError(
      `${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = signedRecordSchema.safeParse(json);
  if (!parsed.success) {
    throw new ParityInputError(
      `${where} is not a promotion record`,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(record)"}: ${issue.message}`),
    );
  }
  return parsed.data;
}
