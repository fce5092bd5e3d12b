// Verifies a record log end to end: every entry is a record, its hash is its body's, its signature
// is the named key's, it chains to the record before it, and sequence numbers run 1, 2, 3… with no
// gap or duplicate and no id twice. A changed, removed, inserted or reordered record is a problem
// naming that record. Reading is the log's; this only judges what was read.
// What a chain cannot show by itself: the newest records removed from the end (the rest is still a
// valid chain). `head` closes that: the hash the last record must have, kept from an earlier verify.

import { canonicalJson, sha256Hex } from "./canonical-json.ts";
import { type SignedRecord, signedRecordSchema } from "./record-file.ts";
import type { RecordLog } from "./record-log.ts";
import { NOT_A_FILE, type RecordLogEntry } from "./record-store.ts";
import type { RecordVerifier } from "./signing-key.ts";

export interface VerifyProblem {
  /** The file name or object key, with the record's id when it could be read: `000003.json (id …)`. */
  record: string;
  problem: string;
}

export interface VerifiedEntry {
  name: string;
  sequence: number | null;
  /** The parsed record, when it parsed (whether or not it verified). */
  record?: SignedRecord;
  ok: boolean;
}

export interface VerifyResult {
  ok: boolean;
  /** How many entries were looked at (records and anything else in the log). */
  records: number;
  problems: VerifyProblem[];
  /** Each entry in log order with its record: what `parity record verify` prints. */
  entries: VerifiedEntry[];
  /** The last record's hash: keep it, and pass it as `head` next time to detect removal from the end. */
  head: string | null;
  /**
   * Records that could not be read (permission, a network error after retries): the log is not
   * verifiable rather than tampered with, which `parity record verify` reports as exit 2.
   */
  unreadable: string[];
}

export interface VerifyOptions {
  /** The hash the log's last record must have (or a record of the log must have, when it grew since). */
  head?: string;
}

export async function verifyLog(
  log: RecordLog,
  verifier: RecordVerifier | readonly RecordVerifier[],
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  return verifyEntries(await log.entries(), verifier, options);
}

/** The pure part: judges entries already read. */
export function verifyEntries(
  entries: readonly RecordLogEntry[],
  verifier: RecordVerifier | readonly RecordVerifier[],
  options: VerifyOptions = {},
): VerifyResult {
  const verifiers = new Map(
    (Array.isArray(verifier) ? verifier : [verifier]).map((v: RecordVerifier) => [v.keyId, v]),
  );
  const problems: VerifyProblem[] = [];
  const verified: VerifiedEntry[] = [];
  const seenIds = new Map<string, string>();
  const seenHashes = new Set<string>();
  type Link = { name: string; sequence: number; hash: string | null };
  let previous = null as Link | null;

  for (const entry of entries) {
    const before = problems.length;
    let label = entry.name;
    const report = (problem: string) => problems.push({ record: label, problem });
    const parsedEntry = parse(entry, (problem) => report(problem));
    const record = parsedEntry?.record;
    if (record) label = `${entry.name} (id ${record.body.id})`;

    if (entry.sequence === null) {
      report("not a record's name (records are named NNNNNN.json): a file was added to the log");
      verified.push({ name: entry.name, sequence: null, ...(record ? { record } : {}), ok: false });
      continue;
    }

    const expectedSequence = (previous?.sequence ?? 0) + 1;
    if (entry.sequence < expectedSequence) {
      report(`sequence ${entry.sequence} appears twice`);
    } else if (entry.sequence > expectedSequence) {
      const missing = entry.sequence - expectedSequence;
      report(
        `sequence ${entry.sequence} follows ${previous?.sequence ?? "the start of the log"}: ${missing} record${missing === 1 ? " is" : "s are"} missing`,
      );
    }

    if (record) {
      // The hash is taken over the body as stored, not as parsed: the schema drops keys it does not
      // know, and a field added to a record (an extra approver's role) must fail, not vanish.
      const hash = rawHash((parsedEntry as ParsedEntry).raw.body);
      if (hash !== record.hash) report("its body does not match its hash: the record was changed");
      const outside = Object.keys((parsedEntry as ParsedEntry).raw).filter(
        (key) => !SIGNED_RECORD_KEYS.has(key),
      );
      if (outside.length > 0) report(`it has fields outside the signed body: ${outside.join(", ")}`);
      const keyVerifier = verifiers.get(record.keyId);
      if (!keyVerifier) {
        report(
          `signed by key ${record.keyId}, which is not the verifying key (${[...verifiers.keys()].join(", ")})`,
        );
      } else if (!keyVerifier.verify(record.hash, record.signature)) {
        report("its signature does not verify: the record or its signature was changed");
      }
      const expectedPrevious = previous ? previous.hash : null;
      if (previous && previous.hash === null) {
        // The record before could not be read; its chain link cannot be judged.
      } else if (record.body.previousHash !== expectedPrevious) {
        report(
          expectedPrevious === null
            ? "it is the first record but chains to another (previousHash is set): records before it were removed"
            : `it does not chain to ${previous?.name} (previousHash ${short(record.body.previousHash)}, expected ${short(expectedPrevious)}): a record was removed, inserted or reordered`,
        );
      }
      const otherWithId = seenIds.get(record.body.id);
      if (otherWithId) report(`its id ${record.body.id} is also ${otherWithId}'s`);
      seenIds.set(record.body.id, entry.name);
      seenHashes.add(record.hash);
    }

    verified.push({
      name: entry.name,
      sequence: entry.sequence,
      ...(record ? { record } : {}),
      ok: problems.length === before,
    });
    previous = {
      name: entry.name,
      sequence: Math.max(entry.sequence, previous?.sequence ?? 0),
      hash: record?.hash ?? null,
    };
  }

  const last = [...verified].reverse().find((entry) => entry.sequence !== null);
  const head = last?.record?.hash ?? null;
  if (options.head !== undefined && !seenHashes.has(options.head)) {
    problems.push({
      record: last ? last.name : "(the log)",
      problem: `no record has the expected head hash ${short(options.head)}: records were removed from the end of the log`,
    });
  }
  const unreadable = entries
    .filter((entry) => entry.sequence !== null && entry.text === undefined && entry.error !== NOT_A_FILE)
    .map((entry) => entry.name);
  return {
    ok: problems.length === 0,
    records: entries.length,
    problems,
    entries: verified,
    head,
    unreadable,
  };
}

const SIGNED_RECORD_KEYS = new Set(Object.keys(signedRecordSchema.shape));

interface ParsedEntry {
  record: SignedRecord;
  /** The JSON as stored, before the schema dropped anything. */
  raw: { body: unknown } & Record<string, unknown>;
}

function rawHash(body: unknown): string | null {
  try {
    return sha256Hex(canonicalJson(body));
  } catch {
    return null; // e.g. a lone surrogate escaped in a string: not the JSON a record is written as
  }
}

function parse(entry: RecordLogEntry, report: (problem: string) => void): ParsedEntry | undefined {
  if (entry.text === undefined) {
    report(`cannot be read: ${entry.error ?? "unreadable"}`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(entry.text);
  } catch (error) {
    report(`is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const parsed = signedRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(record)"}: ${issue.message}`,
    );
    report(`is not a promotion record: ${issues.join("; ")}`);
    return undefined;
  }
  return { record: parsed.data, raw: json as ParsedEntry["raw"] };
}

function short(hash: string | null): string {
  return hash === null ? "null" : hash.slice(0, 12);
}
