// The loopback server must behave like the services where the audit depends on it; these tests pin
// that down through the real SDK clients (and raw HTTP where the SDK would hide the wire format).
import { DescribeDBParametersCommand } from "@aws-sdk/client-rds";
import { GetParametersByPathCommand } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRdsClient, createSsmClient } from "../../audit/aws/index.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "./credentials.ts";
import { RDS_NAMESPACE } from "./rds.ts";
import { type AwsTestServer, startAwsTestServer } from "./server.ts";

let server: AwsTestServer;

beforeAll(async () => {
  useDummyAwsEnvironment();
  server = await startAwsTestServer({
    ssm: [
      { name: "/app/a", type: "String", value: "1" },
      ...Array.from({ length: 15 }, (_, i) => ({
        name: `/app/deep/k${i}`,
        type: "String" as const,
        value: "x",
      })),
      { name: "/app/z", type: "String", value: "2" },
    ],
    rds: { parameterGroups: { pg: [{ name: "work_mem", value: "4MB", source: "user" }] } },
  });
});
afterAll(() => server.close());

const ssm = () => createSsmClient({ endpoint: server.url, retry: { ...FAST_RETRY, maxAttempts: 1 } });
const rds = () => createRdsClient({ endpoint: server.url, retry: { ...FAST_RETRY, maxAttempts: 1 } });

describe("SSM JSON 1.1", () => {
  it("rejects MaxResults above 10 with ValidationException", async () => {
    await expect(
      ssm().send(new GetParametersByPathCommand({ Path: "/app", MaxResults: 50 })),
    ).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("non-recursive reads return short and empty pages that still carry a NextToken", async () => {
    const client = ssm();
    const pages: number[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetParametersByPathCommand({ Path: "/app", MaxResults: 5, NextToken: token }),
      );
      pages.push(page.Parameters?.length ?? 0);
      token = page.NextToken;
    } while (token);
    expect(pages).toEqual([1, 0, 0, 1]);
  });

  it("rejects a token from another path with InvalidNextToken", async () => {
    const first = await ssm().send(
      new GetParametersByPathCommand({ Path: "/app", Recursive: true, MaxResults: 2 }),
    );
    await expect(
      ssm().send(new GetParametersByPathCommand({ Path: "/other", NextToken: first.NextToken })),
    ).rejects.toMatchObject({ name: "InvalidNextToken" });
  });

  it("answers unsigned requests with MissingAuthenticationTokenException and errors with __type", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: {
        "x-amz-target": "AmazonSSM.GetParametersByPath",
        "content-type": "application/x-amz-json-1.1",
      },
      body: JSON.stringify({ Path: "/app" }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await response.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
  });
});

describe("RDS Query/XML", () => {
  it("rejects MaxRecords below 20 like the service", async () => {
    await expect(
      rds().send(new DescribeDBParametersCommand({ DBParameterGroupName: "pg", MaxRecords: 5 })),
    ).rejects.toMatchObject({ name: "InvalidParameterValue", $metadata: { httpStatusCode: 400 } });
  });

  it("answers in the 2014-10-31 namespace, errors as ErrorResponse", async () => {
    server.faults.add({ kind: "throttle", service: "rds", times: 1 });
    const throttled = await postForm({
      Action: "DescribeDBParameters",
      Version: "2014-10-31",
      DBParameterGroupName: "pg",
    });
    expect(throttled.status).toBe(400);
    expect(throttled.body).toMatch(
      new RegExp(
        `^<ErrorResponse xmlns="${RDS_NAMESPACE}"><Error><Type>Sender</Type><Code>Throttling</Code>`,
      ),
    );
    const ok = await postForm({
      Action: "DescribeDBParameters",
      Version: "2014-10-31",
      DBParameterGroupName: "pg",
    });
    expect(ok.body).toContain(
      `<DescribeDBParametersResponse xmlns="${RDS_NAMESPACE}"><DescribeDBParametersResult>`,
    );
    expect(ok.body).toContain(
      "<Parameter><ParameterName>work_mem</ParameterName><ParameterValue>4MB</ParameterValue>",
    );
  });

  it("reports a missing parameter group as DBParameterGroupNotFound (404)", async () => {
    await expect(
      rds().send(new DescribeDBParametersCommand({ DBParameterGroupName: "nope" })),
    ).rejects.toMatchObject({
      name: "DBParameterGroupNotFoundFault",
      $metadata: { httpStatusCode: 404 },
    });
  });
});

/** A signed-looking form POST (the server checks the SigV4 scope, not the signature). */
async function postForm(fields: Record<string, string>) {
  const response = await fetch(server.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/rds/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.text() };
}
