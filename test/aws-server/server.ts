// A loopback AWS endpoint for tests: the real SDK v3 clients talk to it over HTTP (127.0.0.1, random
// port) with dummy credentials. It speaks SSM's JSON 1.1, RDS's Query/XML and S3's REST-XML
// (path-style) protocols for the calls parity makes, injects faults (throttling bursts, 500s, slow responses), and records every request
// so tests can assert what was (never) asked, e.g. that WithDecryption was never sent.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type FaultKind, FaultPlan, type FaultRule, type Service } from "./faults.ts";
import { RDS_NAMESPACE, type RdsFixtures, RdsStore, rdsError, type XmlResponse } from "./rds.ts";
import { type S3Fixtures, type S3Response, S3Store, s3Action, s3Error } from "./s3.ts";
import { type JsonResponse, SSM_TARGET_PREFIX, type SsmParameterFixture, SsmStore, ssmError } from "./ssm.ts";

export type { FaultRule } from "./faults.ts";
export type {
  DbClusterFixture,
  DbInstanceFixture,
  ParameterFixture,
  RdsFixtures,
  SnapshotRecord,
} from "./rds.ts";
export type { S3Fixtures } from "./s3.ts";
export type { SsmParameterFixture, SsmParameterType } from "./ssm.ts";

export interface RecordedRequest {
  service: Service | "unknown";
  action: string;
  /** Parsed request parameters: the JSON body for SSM, the form fields for RDS, query and key for S3. */
  params: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  fault?: FaultKind["kind"];
}

export interface AwsTestServer {
  /** `http://127.0.0.1:<port>`: pass as the client's `endpoint`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly faults: FaultPlan;
  /** RDS's state: snapshots taken, restores requested. */
  readonly rds: RdsStore;
  /** The S3 objects, for tests that look at or tamper with what was stored. */
  readonly s3: S3Store;
  /** Requests for one service/action (convenience for assertions). */
  requestsFor(service: Service, action?: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface AwsTestServerOptions {
  ssm?: SsmParameterFixture[];
  rds?: RdsFixtures;
  s3?: S3Fixtures;
  faults?: FaultRule[];
}

export async function startAwsTestServer(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
  const ssm = new SsmStore(options.ssm ?? []);
  const rds = new RdsStore(options.rds ?? {});
  const s3 = new S3Store(options.s3 ?? {});
  const faults = new FaultPlan();
  faults.add(...(options.faults ?? []));
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = req.headers["x-amz-target"];
    const record: RecordedRequest = {
      service: "unknown",
      action: "",
      params: {},
      headers: req.headers,
      status: 0,
    };
    requests.push(record);

    if (typeof target === "string") {
      record.service = "ssm";
      record.action = target.startsWith(SSM_TARGET_PREFIX) ? target.slice(SSM_TARGET_PREFIX.length) : target;
      let response: JsonResponse;
      if (req.headers["content-type"] !== "application/x-amz-json-1.1") {
        response = ssmError(400, "SerializationException", "Expected application/x-amz-json-1.1");
      } else if (!isSigned(req, "ssm")) {
        response = ssmError(
          400,
          "MissingAuthenticationTokenException",
          "Request is missing Authentication Token",
        );
      } else {
        try {
          record.params = JSON.parse(body || "{}") as Record<string, unknown>;
          const fault = faults.take("ssm", record.action, record.params);
          if (fault) record.fault = fault.kind;
          response = (await applyFault(fault, ssmFault)) ?? ssm.handle(record.action, record.params);
        } catch {
          response = ssmError(400, "SerializationException", "Malformed JSON body");
        }
      }
      record.status = response.status;
      res.writeHead(response.status, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": randomUUID(),
      });
      res.end(JSON.stringify(response.body));
      return;
    }

    // S3 is REST: any method, signed for s3. RDS (below) is always a form POST.
    const authorization = String(req.headers.authorization ?? "");
    if (req.method !== "POST" || authorization.includes("/s3/aws4_request")) {
      const url = new URL(req.url ?? "/", "http://loopback");
      record.service = "s3";
      record.action = s3Action(req.method ?? "GET", url.pathname, url.searchParams);
      record.params = { ...Object.fromEntries(url.searchParams), path: url.pathname };
      let response: S3Response;
      if (!isSigned(req, "s3")) {
        response = s3Error(403, "AccessDenied", "Access Denied");
      } else {
        const fault = faults.take("s3", record.action, record.params);
        if (fault) record.fault = fault.kind;
        const request = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        if (fault?.kind === "server-error-after-write") {
          s3.handle(record.action, request);
          response = s3Error(500, "InternalError", "We encountered an internal error. Please try again.");
        } else {
          response = (await applyFault(fault, s3Fault)) ?? s3.handle(record.action, request);
        }
      }
      record.status = response.status;
      res.writeHead(response.status, { ...response.headers, "x-amz-request-id": randomUUID() });
      res.end(response.body);
      return;
    }

    const form = new URLSearchParams(body);
    record.service = "rds";
    record.action = form.get("Action") ?? "";
    record.params = Object.fromEntries(form);
    let response: XmlResponse;
    if (!String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      response = rdsError(400, "MalformedQueryString", "Expected a form-encoded body");
    } else if (!isSigned(req, "rds")) {
      response = rdsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    } else {
      const fault = faults.take("rds", record.action, record.params);
      if (fault) record.fault = fault.kind;
      response = (await applyFault(fault, rdsFault)) ?? rds.handle(form);
    }
    record.status = response.status;
    res.writeHead(response.status, { "content-type": "text/xml", "x-amzn-requestid": randomUUID() });
    res.end(response.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    rds,
    s3,
    requestsFor: (service, action) =>
      requests.filter((r) => r.service === service && (action === undefined || r.action === action)),
    close: () => closeServer(server),
  };
}

async function applyFault<R>(fault: FaultKind | undefined, respond: (kind: FaultKind) => R | undefined) {
  if (fault === undefined) return undefined;
  if (fault.kind === "slow") {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    return undefined;
  }
  return respond(fault);
}

function ssmFault(fault: FaultKind): JsonResponse | undefined {
  switch (fault.kind) {
    case "throttle":
      return ssmError(400, "ThrottlingException", "Rate exceeded");
    case "server-error":
      return ssmError(500, "InternalServerError", "An error occurred on the server side.");
    case "access-denied":
      return ssmError(
        400,
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/audit is not authorized to perform: ssm:GetParametersByPath",
      );
    default:
      return undefined;
  }
}

function rdsFault(fault: FaultKind): XmlResponse | undefined {
  switch (fault.kind) {
    case "throttle":
      return rdsError(400, "Throttling", "Rate exceeded");
    case "server-error":
      return rdsError(
        500,
        "InternalFailure",
        "The request processing has failed because of an unknown error.",
        "Receiver",
      );
    case "access-denied":
      return rdsError(403, "AccessDenied", "User is not authorized to perform: rds:DescribeDBInstances");
    default:
      return undefined;
  }
}

function s3Fault(fault: FaultKind): S3Response | undefined {
  switch (fault.kind) {
    case "throttle":
      return s3Error(503, "SlowDown", "Please reduce your request rate.");
    case "server-error":
      return s3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    case "access-denied":
      return s3Error(403, "AccessDenied", "Access Denied");
    case "conditional-conflict":
      return s3Error(409, "ConditionalRequestConflict", "A conflicting operation occurred. Please retry.");
    default:
      return undefined;
  }
}

/** A SigV4 header scoped to the expected service: proves the real SDK signing path ran. */
function isSigned(req: IncomingMessage, service: string): boolean {
  const auth = req.headers.authorization;
  return (
    typeof auth === "string" &&
    auth.startsWith("AWS4-HMAC-SHA256 ") &&
    auth.includes(`/${service}/aws4_request`)
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

export { RDS_NAMESPACE };
