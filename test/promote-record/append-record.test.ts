// appendRecord: the body is chained, hashed over its canonical JSON and signed; a body that does not
// match the schema is a bug and is never written.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appendRecord } from "../../audit/promote/record/append-record.ts";
import { canonicalJson, sha256Hex } from "../../audit/promote/record/canonical-json.ts";
import { openRecordLog } from "../../audit/promote/record/record-log.ts";
import { loadSigner, loadVerifier, type RecordSigner } from "../../audit/promote/record/signing-key.ts";
import { privateKeyCopy, sampleBody, TEST_KEY_ID, TEST_PUBLIC_KEY, tempDir } from "./support/records.ts";

let dir: string;
let signer: RecordSigner;

beforeAll(async () => {
  dir = await tempDir();
  signer = await loadSigner({ file: await privateKeyCopy(dir) });
});

describe("appendRecord", () => {
  it("chains, hashes the canonical body and signs the hash", async () => {
    const log = openRecordLog(join(dir, "log"));
    const verifier = await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY });
    const first = await appendRecord(log, sampleBody(), signer);
    const second = await appendRecord(
      log,
      sampleBody({
        kind: "undo",
        undoes: first.body.id,
        undoMethod: "reverse-plan",
        reversePlan: null,
        reversePlanSha256: null,
      }),
      signer,
    );

    expect(first.body.previousHash).toBeNull();
    expect(second.body.previousHash).toBe(first.hash);
    for (const record of [first, second]) {
      expect(record.hash).toBe(sha256Hex(canonicalJson(record.body)));
      expect(record.keyId).toBe(TEST_KEY_ID);
      expect(verifier.verify(record.hash, record.signature)).toBe(true);
    }
    expect(await log.list()).toEqual([first, second]);
  });

  it("drops keys the schema does not know before hashing, so the file hashes the same when read back", async () => {
    const log = openRecordLog(join(dir, "extra"));
    const body = { ...sampleBody(), password: "hunter2" } as ReturnType<typeof sampleBody>;
    const record = await appendRecord(log, body, signer);
    expect(record.body).not.toHaveProperty("password");
    const [read] = await log.list();
    expect(read?.hash).toBe(sha256Hex(canonicalJson(read?.body)));
  });

  it("throws on a body that does not match the schema, writing nothing", async () => {
    const log = openRecordLog(join(dir, "invalid"));
    await expect(appendRecord(log, sampleBody({ planSha256: "not-a-hash" }), signer)).rejects.toThrow(
      /does not match its schema \(a bug\): planSha256/,
    );
    await expect(readdir(join(dir, "invalid"))).rejects.toThrow(/ENOENT/);
  });
});
