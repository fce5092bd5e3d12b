// S3's REST-XML protocol for the calls the promotion record log makes, path-style
// (`/{bucket}/{key}`), as the S3 API reference describes them:
// - ListObjectsV2: `GET /{bucket}?list-type=2&prefix=&continuation-token=&max-keys=`, keys in UTF-8
//   binary order, at most MaxKeys (default and cap 1000) per page, `<IsTruncated>` and
//   `<NextContinuationToken>` while more remain; the server may page shorter (`pageSize`).
// - GetObject: `GET /{bucket}/{key}`, 404 NoSuchKey.
// - PutObject: `PUT /{bucket}/{key}`; with `If-None-Match: *` an existing key is 412
//   PreconditionFailed (conditional writes), and nothing is written.
// Errors are `<Error><Code/><Message/><RequestId/></Error>`; an unknown bucket is 404 NoSuchBucket.
import { createHash, randomUUID } from "node:crypto";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const MAX_KEYS = 1000;

export interface S3Fixtures {
  /** Bucket name → key → body. */
  buckets?: Record<string, Record<string, string>>;
  /** The most keys the server puts on one page whatever MaxKeys asks (real S3: 1000). */
  pageSize?: number;
}

export interface S3Request {
  method: string;
  /** Path without the query: `/bucket/key`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface StoredObject {
  body: string;
  etag: string;
  lastModified: Date;
}

export function s3Error(status: number, code: string, message: string, extra = ""): S3Response {
  return {
    status,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${randomUUID()}</RequestId><HostId>loopback</HostId></Error>`,
  };
}

/** Which operation a request is, from method and query, as S3 routes them. */
export function s3Action(method: string, path: string, query: URLSearchParams): string {
  const [, , ...key] = path.split("/");
  if (method === "GET" && key.join("/") === "" && query.get("list-type") === "2") return "ListObjectsV2";
  if (method === "GET") return "GetObject";
  if (method === "PUT") return "PutObject";
  return `${method} (unsupported)`;
}

export class S3Store {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly pageSize: number;

  constructor(fixtures: S3Fixtures) {
    this.pageSize = fixtures.pageSize ?? MAX_KEYS;
    for (const [bucket, objects] of Object.entries(fixtures.buckets ?? {})) {
      const store = new Map<string, StoredObject>();
      for (const [key, body] of Object.entries(objects)) store.set(key, stored(body));
      this.buckets.set(bucket, store);
    }
  }

  /** Direct access for tests that tamper with the stored objects. */
  objects(bucket: string): Map<string, StoredObject> {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new Error(`no bucket ${bucket}`);
    return objects;
  }

  put(bucket: string, key: string, body: string): void {
    this.objects(bucket).set(key, stored(body));
  }

  handle(action: string, request: S3Request): S3Response {
    const [, bucketName = "", ...keyParts] = request.path.split("/");
    const bucket = decodeURIComponent(bucketName);
    const key = keyParts.map(decodeURIComponent).join("/");
    const objects = this.buckets.get(bucket);
    if (!objects)
      return s3Error(
        404,
        "NoSuchBucket",
        "The specified bucket does not exist",
        `<BucketName>${escapeXml(bucket)}</BucketName>`,
      );
    switch (action) {
      case "ListObjectsV2":
        return this.list(bucket, objects, request.query);
      case "GetObject": {
        const object = objects.get(key);
        if (!object)
          return s3Error(
            404,
            "NoSuchKey",
            "The specified key does not exist.",
            `<Key>${escapeXml(key)}</Key>`,
          );
        return {
          status: 200,
          headers: {
            "content-type": "application/json",
            etag: object.etag,
            "last-modified": object.lastModified.toUTCString(),
          },
          body: object.body,
        };
      }
      case "PutObject": {
        if (request.headers["if-none-match"] === "*" && objects.has(key)) {
          return s3Error(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
            "<Condition>If-None-Match</Condition>",
          );
        }
        const object = stored(decodeBody(request));
        objects.set(key, object);
        return { status: 200, headers: { etag: object.etag }, body: "" };
      }
      default:
        return s3Error(
          405,
          "MethodNotAllowed",
          `The specified method is not allowed against this resource: ${action}`,
        );
    }
  }

  private list(bucket: string, objects: Map<string, StoredObject>, query: URLSearchParams): S3Response {
    const prefix = query.get("prefix") ?? "";
    const maxKeys = Math.min(Number(query.get("max-keys") ?? MAX_KEYS), MAX_KEYS, this.pageSize);
    const token = query.get("continuation-token");
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareUtf8);
    let start = 0;
    if (token !== null) {
      const after = decodeToken(token);
      if (after === undefined)
        return s3Error(400, "InvalidArgument", "The continuation token provided is incorrect");
      start = keys.findIndex((k) => compareUtf8(k, after) > 0);
      if (start < 0) start = keys.length;
    }
    const page = keys.slice(start, start + maxKeys);
    const truncated = start + maxKeys < keys.length;
    const contents = page
      .map((key) => {
        const object = objects.get(key) as StoredObject;
        return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${Buffer.byteLength(object.body)}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join("");
    const body = [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<ListBucketResult xmlns="${S3_NAMESPACE}">`,
      `<Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>`,
      token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : "",
      truncated ? `<NextContinuationToken>${encodeToken(page.at(-1) as string)}</NextContinuationToken>` : "",
      contents,
      "</ListBucketResult>",
    ].join("");
    return { status: 200, headers: { "content-type": "application/xml" }, body };
  }
}

function stored(body: string): StoredObject {
  return { body, etag: `"${createHash("md5").update(body).digest("hex")}"`, lastModified: new Date() };
}

/** The SDK may send a body with `Content-Encoding: aws-chunked` (a trailing checksum): unwrap it. */
function decodeBody(request: S3Request): string {
  const encoding = String(request.headers["content-encoding"] ?? "");
  if (!encoding.includes("aws-chunked")) return request.body;
  let rest = request.body;
  let out = "";
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = Number.parseInt((rest.slice(0, lineEnd).split(";")[0] as string).trim(), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** S3 lists keys in UTF-8 binary order. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function encodeToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString("base64");
}

function decodeToken(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { after?: unknown };
    return typeof parsed.after === "string" ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
