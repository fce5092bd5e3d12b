// The S3 record log through the real S3 client against the loopback server (path-style): appends
// chain and verify, listing pages with continuation tokens (also past 1000 keys), the conditional
// PutObject lets exactly one of two concurrent appends win, and throttling, 500s and a 409 are retried.
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createS3Client } from "../../audit/aws/clients.ts";
import { appendRecord, sealRecord } from "../../audit/promote/record/append-record.ts";
import { openRecordLog, RecordLogConflictError } from "../../audit/promote/record/record-log.ts";
import { loadSigner, loadVerifier, type RecordSigner } from "../../audit/promote/record/signing-key.ts";
import { verifyLog } from "../../audit/promote/record/verify-log.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { privateKeyCopy, sampleBody, TEST_PUBLIC_KEY, tempDir } from "./support/records.ts";

let server: AwsTestServer;
let client: S3Client;
let signer: RecordSigner;

const attachments = Object.fromEntries(
  Array.from({ length: 1200 }, (_, i) => [
    `shop/promotions/attachments/${String(i).padStart(4, "0")}.txt`,
    "x",
  ]),
);

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({ s3: { buckets: { records: {}, big: attachments, small: {} } } });
  client = createS3Client({ endpoint: server.url, retry: FAST_RETRY });
  signer = await loadSigner({ file: await privateKeyCopy(await tempDir()) });
});
afterEach(() => server.faults.clear());
afterAll(async () => {
  client.destroy();
  await server.close();
});

describe("S3 record log", () => {
  it("appends records as objects under the prefix, with a conditional PutObject, and verifies", async () => {
    const log = openRecordLog("s3://records/shop/promotions/", { s3Client: client });
    expect(await log.list()).toEqual([]);
    const written = [];
    for (let i = 0; i < 3; i += 1) written.push(await appendRecord(log, sampleBody(), signer));
    expect([...server.s3.objects("records").keys()].sort()).toEqual([
      "shop/promotions/000001.json",
      "shop/promotions/000002.json",
      "shop/promotions/000003.json",
    ]);
    const puts = server.requestsFor("s3", "PutObject");
    expect(puts).toHaveLength(3);
    for (const put of puts) {
      expect(put.headers["if-none-match"]).toBe("*");
      expect(put.params.path).toMatch(/^\/records\/shop\/promotions\/00000\d\.json$/); // path-style
    }
    expect(await log.list()).toEqual(written);
    const result = await verifyLog(log, await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY }));
    expect(result.problems).toEqual([]);
  });

  it("names a tampered object", async () => {
    const log = openRecordLog("s3://records/shop/promotions", { s3Client: client });
    const key = "shop/promotions/000002.json";
    const objects = server.s3.objects("records");
    const stored = objects.get(key)?.body as string;
    server.s3.put("records", key, stored.replace('"outcome": "applied"', '"outcome": "failed"'));
    const result = await verifyLog(log, await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY }));
    expect(result.problems.map((p) => p.record)).toEqual([expect.stringMatching(/^000002\.json \(id /)]);
    server.s3.put("records", key, stored);
  });

  it("pages through ListObjectsV2 with continuation tokens", async () => {
    const paged = await startAwsTestServer({ s3: { buckets: { records: {} }, pageSize: 2 } });
    const pagedClient = createS3Client({ endpoint: paged.url, retry: FAST_RETRY });
    try {
      const log = openRecordLog("s3://records/p", { s3Client: pagedClient });
      for (let i = 0; i < 5; i += 1) await appendRecord(log, sampleBody(), signer);
      paged.requests.length = 0;
      expect(await log.list()).toHaveLength(5);
      const lists = paged.requestsFor("s3", "ListObjectsV2");
      expect(lists).toHaveLength(3);
      expect(lists[0]?.params["continuation-token"]).toBeUndefined();
      expect(lists[1]?.params["continuation-token"]).toEqual(expect.any(String));
    } finally {
      pagedClient.destroy();
      await paged.close();
    }
  });

  it("reads only the last record to append, however long the log", async () => {
    const log = openRecordLog("s3://records/shop/promotions", { s3Client: client });
    const before = server.requestsFor("s3", "GetObject").length;
    await appendRecord(log, sampleBody(), signer);
    // The last record, once to chain to and once more in append's own check: not the other three.
    expect(server.requestsFor("s3", "GetObject").length - before).toBe(2);
    expect(await log.list()).toHaveLength(4);
  });

  it("finds its records past the first 1000 keys under the prefix", async () => {
    // s3://big/shop lists 1201 keys (1200 attachments, then promotions/000001.json): real S3's
    // 1000-key pages make that two ListObjectsV2 calls.
    const log = openRecordLog("s3://big/shop", { s3Client: client });
    const prefixLog = openRecordLog("s3://big/shop/promotions", { s3Client: client });
    const record = await appendRecord(prefixLog, sampleBody(), signer);
    server.requests.length = 0;
    // Nothing in a sub-folder of the log's prefix is one of its records, and none of it is fetched.
    expect(await log.list()).toEqual([]);
    expect(server.requestsFor("s3", "ListObjectsV2")).toHaveLength(2);
    expect(server.requestsFor("s3", "GetObject")).toHaveLength(0);
    expect(await prefixLog.list()).toEqual([record]);
  });

  it("lets exactly one of two concurrent appends win", async () => {
    for (let round = 0; round < 5; round += 1) {
      const spec = `s3://records/race-${round}`;
      const base = await appendRecord(openRecordLog(spec, { s3Client: client }), sampleBody(), signer);
      const contenders = [0, 1].map(() => sealRecord({ ...sampleBody(), previousHash: base.hash }, signer));
      const results = await Promise.allSettled(
        contenders.map((record) => openRecordLog(spec, { s3Client: client }).append(record, base.hash)),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(
        RecordLogConflictError,
      );
      const records = await openRecordLog(spec, { s3Client: client }).list();
      expect(records).toHaveLength(2);
      expect(contenders.map((c) => c.hash)).toContain(records[1]?.hash);
    }
  });

  it("retries throttling (503 SlowDown) and 500s on every call", async () => {
    const log = openRecordLog("s3://small/retry", { s3Client: client });
    server.faults.add(
      { service: "s3", action: "ListObjectsV2", kind: "throttle", times: 3 },
      { service: "s3", action: "PutObject", kind: "server-error", times: 2 },
      { service: "s3", action: "GetObject", kind: "throttle", times: 2 },
    );
    await appendRecord(log, sampleBody(), signer);
    expect(await log.list()).toHaveLength(1);
    const statuses = server.requests
      .filter((r) => r.service === "s3" && r.params.path?.toString().startsWith("/small"))
      .map((r) => r.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(5);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
  });

  it("retries a 409 ConditionalRequestConflict, as the S3 model says to", async () => {
    const log = openRecordLog("s3://small/conflict", { s3Client: client });
    server.faults.add({ service: "s3", action: "PutObject", kind: "conditional-conflict", times: 1 });
    await appendRecord(log, sampleBody(), signer);
    expect(await log.list()).toHaveLength(1);
  });

  it("refuses clearly when access is denied or the bucket does not exist", async () => {
    server.faults.add({ service: "s3", kind: "access-denied" });
    await expect(openRecordLog("s3://small/x", { s3Client: client }).list()).rejects.toThrow(
      /cannot list the record log s3:\/\/small\/x: AccessDenied/,
    );
    server.faults.clear();
    await expect(openRecordLog("s3://nope/x", { s3Client: client }).list()).rejects.toThrow(/NoSuchBucket/);
  });
});
