// The loopback server's S3 must behave like S3 where the record log depends on it; pinned down
// through the real S3 client, and raw HTTP where the SDK would hide the wire format.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Client } from "../../audit/aws/clients.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "./credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "./server.ts";

let server: AwsTestServer;

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({
    s3: { buckets: { b: { "p/a.json": "A", "p/b.json": "B", "p/c.json": "C", "q/x": "X" } }, pageSize: 2 },
  });
});
afterAll(() => server.close());

const s3 = () => createS3Client({ endpoint: server.url, retry: { ...FAST_RETRY, maxAttempts: 1 } });

describe("S3 REST-XML", () => {
  it("lists a prefix in pages with continuation tokens, honouring MaxKeys", async () => {
    const client = s3();
    const first = await client.send(new ListObjectsV2Command({ Bucket: "b", Prefix: "p/" }));
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 2, MaxKeys: 2, Prefix: "p/", Name: "b" });
    expect(first.Contents?.map((o) => o.Key)).toEqual(["p/a.json", "p/b.json"]);
    const second = await client.send(
      new ListObjectsV2Command({ Bucket: "b", Prefix: "p/", ContinuationToken: first.NextContinuationToken }),
    );
    expect(second).toMatchObject({ IsTruncated: false, KeyCount: 1 });
    expect(second.NextContinuationToken).toBeUndefined();
    expect(second.Contents?.map((o) => o.Key)).toEqual(["p/c.json"]);
    const one = await client.send(new ListObjectsV2Command({ Bucket: "b", MaxKeys: 1 }));
    expect(one.Contents).toHaveLength(1);
  });

  it("answers a conditional PutObject on an existing key with 412 PreconditionFailed, writing nothing", async () => {
    const client = s3();
    await client.send(new PutObjectCommand({ Bucket: "b", Key: "p/new.json", Body: "1", IfNoneMatch: "*" }));
    await expect(
      client.send(new PutObjectCommand({ Bucket: "b", Key: "p/new.json", Body: "2", IfNoneMatch: "*" })),
    ).rejects.toMatchObject({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
    const object = await client.send(new GetObjectCommand({ Bucket: "b", Key: "p/new.json" }));
    expect(await object.Body?.transformToString()).toBe("1");
    // Without the condition, S3 overwrites.
    await client.send(new PutObjectCommand({ Bucket: "b", Key: "p/new.json", Body: "3" }));
    const overwritten = await client.send(new GetObjectCommand({ Bucket: "b", Key: "p/new.json" }));
    expect(await overwritten.Body?.transformToString()).toBe("3");
  });

  it("reports NoSuchKey and NoSuchBucket as S3 does", async () => {
    const client = s3();
    await expect(client.send(new GetObjectCommand({ Bucket: "b", Key: "nope" }))).rejects.toMatchObject({
      name: "NoSuchKey",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new ListObjectsV2Command({ Bucket: "missing" }))).rejects.toMatchObject({
      name: "NoSuchBucket",
    });
  });

  it("refuses an unsigned request and serves path-style XML", async () => {
    const unsigned = await fetch(`${server.url}/b?list-type=2`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(/<Error><Code>AccessDenied<\/Code>/);
    const client = s3();
    await client.send(new ListObjectsV2Command({ Bucket: "b", Prefix: "q/" }));
    const request = server.requestsFor("s3", "ListObjectsV2").at(-1);
    expect(request?.params).toMatchObject({ path: "/b/", "list-type": "2", prefix: "q/" });
    expect(String(request?.headers.authorization)).toContain("/s3/aws4_request");
  });

  it("throttles with 503 SlowDown through the fault plan", async () => {
    server.faults.add({ service: "s3", kind: "throttle", times: 1 });
    await expect(s3().send(new ListObjectsV2Command({ Bucket: "b" }))).rejects.toMatchObject({
      name: "SlowDown",
      $metadata: { httpStatusCode: 503 },
    });
    server.faults.clear();
  });
});
