// The one definition of a record's hash, shared by appending and verifying.
import { canonicalJson, sha256Hex } from "./canonical-json.ts";
import type { RecordBody } from "./record-file.ts";

/** SHA-256 (hex) of the body's canonical JSON: the record's `hash`, and the next record's previousHash. */
export function recordHash(body: RecordBody): string {
  return sha256Hex(canonicalJson(body));
}
