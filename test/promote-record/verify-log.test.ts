// verifyLog on a directory log of four records signed with the fixed test key: the intact log
// verifies; changing any field of a record, its hash, signature or keyId, or removing, inserting,
// reordering or duplicating records, fails naming the record.
import { randomUUID } from "node:crypto";
import { cp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appendRecord, sealRecord } from "../../audit/promote/record/append-record.ts";
import {
  type RecordBody,
  recordBodySchema,
  type SignedRecord,
} from "../../audit/promote/record/record-file.ts";
import { openRecordLog } from "../../audit/promote/record/record-log.ts";
import {
  loadSigner,
  loadVerifier,
  type RecordSigner,
  type RecordVerifier,
} from "../../audit/promote/record/signing-key.ts";
import { verifyLog } from "../../audit/promote/record/verify-log.ts";
import { OTHER_TEST_KEY, privateKeyCopy, sampleBody, TEST_PUBLIC_KEY, tempDir } from "./support/records.ts";

let dir: string;
let original: string;
let signer: RecordSigner;
let otherSigner: RecordSigner;
let verifier: RecordVerifier;
let records: SignedRecord[];
let copies = 0;

beforeAll(async () => {
  dir = await tempDir();
  signer = await loadSigner({ file: await privateKeyCopy(dir) });
  otherSigner = await loadSigner({ file: await privateKeyCopy(dir, OTHER_TEST_KEY, "other.pem") });
  verifier = await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY });
  original = join(dir, "original");
  const log = openRecordLog(original);
  records = [];
  for (let i = 0; i < 4; i += 1) records.push(await appendRecord(log, sampleBody(), signer));
});

/** A fresh copy of the four-record log to tamper with. */
async function copyOfLog(): Promise<string> {
  copies += 1;
  const copy = join(dir, `copy-${copies}`);
  await cp(original, copy, { recursive: true });
  return copy;
}

async function editRecord(
  path: string,
  name: string,
  edit: (record: SignedRecord) => unknown,
): Promise<void> {
  const file = join(path, name);
  const record = JSON.parse(await readFile(file, "utf8")) as SignedRecord;
  await writeFile(file, JSON.stringify(edit(record), null, 2));
}

async function problemsOf(path: string, options = {}) {
  const result = await verifyLog(openRecordLog(path), verifier, options);
  return { ...result, named: result.problems.map((p) => p.record.split(" ")[0]) };
}

const FIELD_EDITS: Record<keyof RecordBody, (body: RecordBody) => unknown> = {
  schemaVersion: () => 2,
  id: () => randomUUID(),
  kind: () => "undo",
  undoes: () => randomUUID(),
  undoMethod: () => "restore",
  startedAt: () => "2026-12-01T17:00:00.000Z",
  finishedAt: () => "2026-12-01T19:00:00.000Z",
  parityVersion: () => "9.9.9",
  from: (body) => ({ ...body.from, database: "10.0.0.9:5432/elsewhere" }),
  to: (body) => ({ ...body.to, serverVersion: "16.4" }),
  plan: (body) => ({
    ...body.plan,
    statements: body.plan.statements.map((s) => ({ ...s, sql: "DROP TABLE public.orders" })),
  }),
  planSha256: () => "c".repeat(64),
  reversePlan: () => null,
  reversePlanSha256: () => null,
  configChanges: () => [],
  snapshot: () => null,
  acceptedRisks: () => [{ rule: "adding-not-null-column", message: "accepted" }],
  approvers: () => [{ name: "mallory", source: "command-line" }],
  steps: () => [{ sql: "VACUUM", transactional: false, outcome: "applied" }],
  outcome: () => "failed",
  // Promote's optional field (audit/promote/promote.ts): set on a body that had none, it is a change too.
  targetSchemaSha256: () => ({ before: "e".repeat(64), after: "f".repeat(64) }),
  previousHash: () => "d".repeat(64),
};

describe("verifyLog", () => {
  it("verifies the intact log and reports its head", async () => {
    const result = await problemsOf(original);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.records).toBe(4);
    expect(result.head).toBe(records[3]?.hash);
    expect(result.entries.map((e) => e.record?.body.id)).toEqual(records.map((r) => r.body.id));
  });

  it("has an edit for every field of the body schema", () => {
    expect(Object.keys(FIELD_EDITS).sort()).toEqual(Object.keys(recordBodySchema.shape).sort());
  });

  it.each(Object.keys(FIELD_EDITS) as Array<keyof RecordBody>)(
    "fails when body.%s of a record is changed",
    async (field) => {
      const path = await copyOfLog();
      await editRecord(path, "000003.json", (record) => ({
        ...record,
        body: { ...record.body, [field]: FIELD_EDITS[field](record.body) },
      }));
      const result = await problemsOf(path);
      expect(result.ok).toBe(false);
      expect(result.named).toContain("000003.json");
      expect(result.named).not.toContain("000002.json");
    },
  );

  it.each([
    ["hash", (r: SignedRecord) => ({ ...r, hash: "e".repeat(64) })],
    ["signature", (r: SignedRecord) => ({ ...r, signature: otherSigner.sign(r.hash) })],
    ["keyId", (r: SignedRecord) => ({ ...r, keyId: otherSigner.keyId })],
    ["a field removed", (r: SignedRecord) => ({ ...r, body: { ...r.body, approvers: undefined } })],
    // The schema would drop these keys on parsing; the hash over the stored body must not.
    [
      "a field added to the body",
      (r: SignedRecord) => ({ ...r, body: { ...r.body, note: "approved by the CEO" } }),
    ],
    [
      "a field added to an approver",
      (r: SignedRecord) => ({
        ...r,
        body: { ...r.body, approvers: [{ ...r.body.approvers[0], role: "CEO" }] },
      }),
    ],
    ["a field added outside the body", (r: SignedRecord) => ({ ...r, approvedBy: "ceo" })],
  ])("fails when the record's %s is changed", async (_name, edit) => {
    const path = await copyOfLog();
    await editRecord(path, "000003.json", edit);
    const result = await problemsOf(path);
    expect(result.ok).toBe(false);
    expect(result.named).toContain("000003.json");
  });

  it("fails a record re-hashed and re-signed with another key", async () => {
    const path = await copyOfLog();
    await editRecord(path, "000003.json", (r) =>
      sealRecord({ ...r.body, approvers: [{ name: "mallory", source: "command-line" }] }, otherSigner),
    );
    const result = await problemsOf(path);
    expect(result.problems).toContainEqual({
      record: `000003.json (id ${records[2]?.body.id})`,
      problem: expect.stringMatching(/signed by key .* which is not the verifying key/),
    });
    // And the next record no longer chains to it.
    expect(result.named).toContain("000004.json");
  });

  it("fails a record re-hashed and re-signed with the right key, at the next record", async () => {
    // Someone holding the signing key can rewrite the last record but one; the chain still shows it.
    const path = await copyOfLog();
    await editRecord(path, "000003.json", (r) => sealRecord({ ...r.body, outcome: "failed" }, signer));
    const result = await problemsOf(path);
    expect(result.problems).toEqual([
      {
        record: `000004.json (id ${records[3]?.body.id})`,
        problem: expect.stringMatching(/does not chain to 000003\.json/),
      },
    ]);
  });

  it("fails a removed record (a gap)", async () => {
    const path = await copyOfLog();
    await rm(join(path, "000002.json"));
    const result = await problemsOf(path);
    expect(result.problems.map((p) => p.problem)).toEqual([
      "sequence 3 follows 1: 1 record is missing",
      expect.stringMatching(/does not chain to 000001\.json/),
    ]);
    expect(result.named).toEqual(["000003.json", "000003.json"]);
  });

  it("fails a removed record whose successors were renumbered", async () => {
    const path = await copyOfLog();
    await rm(join(path, "000002.json"));
    await rename(join(path, "000003.json"), join(path, "000002.json"));
    await rename(join(path, "000004.json"), join(path, "000003.json"));
    const result = await problemsOf(path);
    expect(result.named).toEqual(["000002.json"]);
  });

  it("fails reordered records", async () => {
    const path = await copyOfLog();
    await rename(join(path, "000002.json"), join(path, "tmp"));
    await rename(join(path, "000003.json"), join(path, "000002.json"));
    await rename(join(path, "tmp"), join(path, "000003.json"));
    const result = await problemsOf(path);
    expect(result.named).toEqual(expect.arrayContaining(["000002.json", "000003.json", "000004.json"]));
  });

  it("fails an inserted record, even one signed with the right key", async () => {
    const path = await copyOfLog();
    for (const n of [4, 3]) await rename(join(path, `00000${n}.json`), join(path, `00000${n + 1}.json`));
    const inserted = sealRecord({ ...sampleBody(), previousHash: records[1]?.hash ?? null }, signer);
    await writeFile(join(path, "000003.json"), JSON.stringify(inserted));
    const result = await problemsOf(path);
    expect(result.named).toEqual(["000004.json"]);
  });

  it("fails a duplicated record and a stray file", async () => {
    const path = await copyOfLog();
    await cp(join(path, "000002.json"), join(path, "000005.json"));
    await writeFile(join(path, "notes.txt"), "hello");
    const result = await problemsOf(path);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        {
          record: `000005.json (id ${records[1]?.body.id})`,
          problem: `its id ${records[1]?.body.id} is also 000002.json's`,
        },
        { record: "notes.txt", problem: expect.stringMatching(/not a record's name/) },
      ]),
    );
  });

  it("names a record that is not JSON, and goes on judging the rest", async () => {
    const path = await copyOfLog();
    await writeFile(join(path, "000002.json"), "{");
    const result = await problemsOf(path);
    expect(result.problems).toEqual([
      { record: "000002.json", problem: expect.stringMatching(/^is not JSON/) },
    ]);
  });

  it("detects records removed from the end only against a kept head", async () => {
    const path = await copyOfLog();
    await rm(join(path, "000004.json"));
    expect((await problemsOf(path)).ok).toBe(true);
    const result = await problemsOf(path, { head: records[3]?.hash });
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.problem).toMatch(/removed from the end/);
    // A head from before the log grew is still found.
    expect((await problemsOf(original, { head: records[1]?.hash })).ok).toBe(true);
  });

  it("accepts records signed with either of several keys (a rotated key)", async () => {
    const path = join(dir, "rotated");
    const log = openRecordLog(path);
    await appendRecord(log, sampleBody(), signer);
    await appendRecord(log, sampleBody(), otherSigner);
    const otherVerifier = await loadVerifier({ privateKey: { file: join(dir, "other.pem") } });
    expect((await verifyLog(log, verifier)).problems.map((p) => p.record)).toEqual([
      expect.stringMatching(/^000002\.json/),
    ]);
    expect((await verifyLog(log, [verifier, otherVerifier])).ok).toBe(true);
  });
});
