// The directory record log: files named in chain order, appends that refuse a stale previous hash,
// and of two concurrent appends chained to the same record exactly one wins.
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appendRecord, sealRecord } from "../../audit/promote/record/append-record.ts";
import { openRecordLog, RecordLogConflictError } from "../../audit/promote/record/record-log.ts";
import { DirectoryStore } from "../../audit/promote/record/record-log-directory.ts";
import { loadSigner, type RecordSigner } from "../../audit/promote/record/signing-key.ts";
import { privateKeyCopy, sampleBody, tempDir } from "./support/records.ts";

let dir: string;
let signer: RecordSigner;

beforeAll(async () => {
  dir = await tempDir();
  signer = await loadSigner({ file: await privateKeyCopy(dir) });
});

describe("directory record log", () => {
  it("is empty before the first append, and creates its directory on it", async () => {
    const log = openRecordLog("records/a", { cwd: dir });
    expect(await log.list()).toEqual([]);
    const first = await appendRecord(log, sampleBody(), signer);
    expect(await readdir(join(dir, "records/a"))).toEqual(["000001.json"]);
    expect((await log.list())[0]).toEqual(first);
  });

  it("names files so ls sorts them in chain order, numbered by sequence", async () => {
    const log = openRecordLog(join(dir, "ordered"));
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await appendRecord(log, sampleBody(), signer)).body.id);
    const files = (await readdir(join(dir, "ordered"))).sort();
    expect(files.map((f) => f.slice(0, 6))).toEqual(ids.map((_, i) => String(i + 1).padStart(6, "0")));
    const records = await log.list();
    expect(records.map((r) => r.body.id)).toEqual(ids);
    expect(records[0]?.body.previousHash).toBeNull();
    for (let i = 1; i < records.length; i += 1) {
      expect(records[i]?.body.previousHash).toBe(records[i - 1]?.hash);
    }
  });

  it("refuses an append whose expected previous hash is not the last record's", async () => {
    const log = openRecordLog(join(dir, "stale"));
    const first = await appendRecord(log, sampleBody(), signer);
    const stale = await appendRecord(log, sampleBody(), signer);
    // A writer that read the log before `stale` was appended, chaining to `first`:
    const late = { ...stale, body: { ...stale.body, id: sampleBody().id, previousHash: first.hash } };
    const error = await log.append(late, first.hash).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordLogConflictError);
    expect(String(error)).toContain("000002.json");
    expect(await readdir(join(dir, "stale"))).toHaveLength(2);
  });

  it("lets exactly one of two concurrent appends with the same expected previous hash win", async () => {
    for (let round = 0; round < 10; round += 1) {
      const path = join(dir, `race-${round}`);
      const log = openRecordLog(path);
      const base = await appendRecord(log, sampleBody(), signer);
      // Two writers, each with its own RecordLog, both chained to `base`.
      const contenders = [0, 1].map(() => sealRecord({ ...sampleBody(), previousHash: base.hash }, signer));
      const results = await Promise.allSettled(
        contenders.map((r) => openRecordLog(path).append(r, base.hash)),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(RecordLogConflictError);
      const records = await log.list();
      expect(records).toHaveLength(2);
      expect(contenders.map((c) => c.hash)).toContain(records[1]?.hash);
      // No temporary file is left behind by the loser.
      expect(await readdir(path)).toHaveLength(2);
    }
  });

  it("creates a sequence number exclusively even when both writers passed the hash check", async () => {
    const store = new DirectoryStore(join(dir, "exclusive"), dir);
    const outcomes = await Promise.all(
      ["a", "b", "c"].map((text) => store.createExclusive("000001.json", text)),
    );
    expect(outcomes.sort()).toEqual(["created", "exists", "exists"]);
    expect(["a", "b", "c"]).toContain((await store.read("000001.json")).text);
    expect(await readdir(join(dir, "exclusive"))).toEqual(["000001.json"]);
  });

  it("writes the record as readable JSON that parses back to what was appended", async () => {
    const log = openRecordLog(join(dir, "roundtrip"));
    const record = await appendRecord(log, sampleBody({ undoes: undefined }), signer);
    const [file] = await readdir(join(dir, "roundtrip"));
    const text = await readFile(join(dir, "roundtrip", file as string), "utf8");
    expect(text).toMatch(/^\{\n {2}"body": \{/);
    expect(JSON.parse(text)).toEqual(record);
  });

  it("refuses a log path that is a file or a FIFO, without blocking", async () => {
    await writeFile(join(dir, "a-file"), "x");
    await expect(openRecordLog(join(dir, "a-file")).list()).rejects.toThrow(
      /cannot read the record log .*a-file: ENOTDIR/,
    );
    execFileSync("mkfifo", [join(dir, "a-fifo")]);
    await expect(openRecordLog(join(dir, "a-fifo")).list()).rejects.toThrow(/ENOTDIR/);
  });

  it("names a record file that is not a record", async () => {
    const path = join(dir, "broken");
    await mkdir(path);
    await writeFile(join(path, "000001.json"), "{not json");
    await expect(openRecordLog(path).list()).rejects.toThrow(/record 000001\.json in .*broken is not JSON/);
    execFileSync("mkfifo", [join(path, "000002.json")]);
    const entries = await openRecordLog(path).entries();
    expect(entries.map((e) => [e.name, e.error])).toEqual([
      ["000001.json", undefined],
      ["000002.json", "not a regular file"],
    ]);
  });
});
