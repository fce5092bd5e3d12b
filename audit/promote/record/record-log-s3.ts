// A record log under an S3 prefix: one object per record, `<prefix>/000001.json`. Listing is
// ListObjectsV2, every page (ContinuationToken / NextContinuationToken); the exclusive create is a
// conditional PutObject: `IfNoneMatch: "*"` (header If-None-Match, PutObjectRequest in
// @aws-sdk/client-s3's model) makes S3 answer 412 Precondition Failed when the key already exists,
// and 409 ConditionalRequestConflict while a conflicting write is in flight, which the model says
// to retry (the retry then sees the winner's object and gets 412). Throttling (503 SlowDown) and
// 500s are retried by the SDK's strategy (audit/aws/retry.ts); the SDK's default is also to retry
// a PutObject, so a 412 on our own earlier attempt is recognised by its content.
import type { S3Client } from "@aws-sdk/client-s3";
import { describeAwsError } from "../../aws/errors.ts";
import { ParityInputError } from "../../core/errors.ts";
import { parseRecordName, type RecordName, type RecordStore, sortEntries } from "./record-store.ts";

const CONFLICT_RETRIES = 5;

export function parseS3Spec(spec: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(spec);
  if (!match || match[1] === undefined) {
    throw new ParityInputError(`the record log ${spec} is not s3://bucket/prefix`);
  }
  const prefix = (match[2] ?? "").replace(/\/+$/, "");
  return { bucket: match[1], prefix: prefix === "" ? "" : `${prefix}/` };
}

export class S3Store implements RecordStore {
  private readonly bucket: string;
  private readonly prefix: string;
  private client: S3Client | undefined;

  constructor(
    private readonly spec: string,
    client?: S3Client,
  ) {
    ({ bucket: this.bucket, prefix: this.prefix } = parseS3Spec(spec));
    this.client = client;
  }

  describe(): string {
    return this.spec;
  }

  private async s3(): Promise<S3Client> {
    // The SDK is loaded only for an S3 log.
    this.client ??= (await import("../../aws/clients.ts")).createS3Client();
    return this.client;
  }

  async names(): Promise<RecordName[]> {
    const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
    const client = await this.s3();
    const names: RecordName[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(this.prefix.length);
          // Deeper "folders" under the prefix are not this log's.
          if (name && !name.includes("/"))
            names.push({ name, sequence: parseRecordName(name)?.sequence ?? null });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (error) {
      throw new ParityInputError(`cannot list the record log ${this.spec}: ${describeAwsError(error)}`);
    }
    return sortEntries(names);
  }

  async read(name: string): Promise<{ text?: string; error?: string }> {
    const { GetObjectCommand } = await import("@aws-sdk/client-s3");
    try {
      const object = await (await this.s3()).send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${name}` }),
      );
      return { text: (await object.Body?.transformToString("utf-8")) ?? "" };
    } catch (error) {
      return { error: describeAwsError(error) };
    }
  }

  async createExclusive(name: string, text: string): Promise<"created" | "exists"> {
    const { PutObjectCommand } = await import("@aws-sdk/client-s3");
    const client = await this.s3();
    const key = `${this.prefix}${name}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: text,
            ContentType: "application/json",
            IfNoneMatch: "*",
          }),
        );
        return "created";
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        // A retried PutObject whose first attempt did land (the 500 came after the write) meets its
        // own object: that is ours, not a competitor's.
        if (status === 412) return (await this.read(name)).text === text ? "created" : "exists";
        if (status === 409 && attempt < CONFLICT_RETRIES) continue;
        throw new ParityInputError(`cannot write record ${key} to ${this.spec}: ${describeAwsError(error)}`);
      }
    }
  }
}
