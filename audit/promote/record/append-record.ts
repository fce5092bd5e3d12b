// Appends one promotion or undo record: chain it to the log's last record, hash the canonical JSON of
// its body, sign the hash, and write it. A conflicting append by someone else surfaces as
// RecordLogConflictError from the log, never as a fork of the chain.
import { type RecordBody, recordBodySchema, type SignedRecord } from "./record-file.ts";
import { recordHash } from "./record-hash.ts";
import type { RecordLog } from "./record-log.ts";
import type { RecordSigner } from "./signing-key.ts";

export async function appendRecord(
  log: RecordLog,
  body: Omit<RecordBody, "previousHash">,
  signer: RecordSigner,
): Promise<SignedRecord> {
  const previous = await log.last();
  const previousHash = previous?.hash ?? null;
  const parsed = recordBodySchema.safeParse({ ...body, previousHash });
  if (!parsed.success) {
    // The caller built the body: a mismatch is parity's bug, not the user's input.
    throw new Error(
      `promotion record body does not match its schema (a bug): ${parsed.error.issues
        .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
        .join("; ")}`,
    );
  }
  const record = sealRecord(parsed.data, signer);
  await log.append(record, previousHash);
  return record;
}

/** Hashes and signs a complete body (previousHash set). Hash what will be read back: the parsed body. */
export function sealRecord(body: RecordBody, signer: RecordSigner): SignedRecord {
  const hash = recordHash(body);
  return { body, hash, signature: signer.sign(hash), keyId: signer.keyId };
}
