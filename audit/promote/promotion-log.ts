// What promote and undo need of the record log: append a body (signed, chained) and list the
// records. The CLI builds it from the config's `promotion:` block (the record engineer's log and
// key); the core never sees a key.
import type { RecordBody, SignedRecord } from "./record/record-file.ts";

export interface PromotionLog {
  /** Where records go, for messages: a directory or s3://bucket/prefix. */
  readonly where: string;
  append(body: Omit<RecordBody, "previousHash">): Promise<SignedRecord>;
  list(): Promise<SignedRecord[]>;
}
