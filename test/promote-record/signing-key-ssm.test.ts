// The signing key from an SSM SecureString over the loopback SSM server: read with decryption
// through GetParameter, a String parameter refused, a missing one named, the value never printed.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSsmClient } from "../../audit/aws/clients.ts";
import { loadSigner, loadVerifier } from "../../audit/promote/record/signing-key.ts";
import { FAST_RETRY, useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { TEST_KEY, TEST_KEY_ID } from "./support/records.ts";

let server: AwsTestServer;
let pem: string;

beforeAll(async () => {
  useDummyAwsEnvironment();
  pem = await readFile(TEST_KEY, "utf8");
  server = await startAwsTestServer({
    ssm: [
      { name: "/parity/record-signing-key", type: "SecureString", value: pem },
      { name: "/parity/plain-key", type: "String", value: pem },
      { name: "/parity/not-a-key", type: "SecureString", value: "TOPSECRET-not-a-pem" },
    ],
  });
});
afterAll(() => server.close());

describe("signing key from SSM", () => {
  it("reads a SecureString with decryption, through the endpoint of the spec", async () => {
    const signer = await loadSigner({
      ssmParameter: "/parity/record-signing-key",
      endpoint: server.url,
      region: "eu-west-1",
    });
    expect(signer.keyId).toBe(TEST_KEY_ID);
    const [request] = server.requestsFor("ssm", "GetParameter");
    expect(request?.params).toEqual({ Name: "/parity/record-signing-key", WithDecryption: true });
    expect(String(request?.headers.authorization)).toContain("/eu-west-1/ssm/aws4_request");
    const verifier = await loadVerifier({
      privateKey: { ssmParameter: "/parity/record-signing-key", endpoint: server.url },
    });
    expect(verifier.verify("abc", signer.sign("abc"))).toBe(true);
  });

  it("refuses a String parameter: a signing key must be a SecureString", async () => {
    const error = await loadSigner({ ssmParameter: "/parity/plain-key", endpoint: server.url }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(
      /SSM parameter \/parity\/plain-key is a String: a signing key must be a SecureString/,
    );
    expect(String(error)).not.toContain("PRIVATE KEY");
  });

  it("names a missing parameter, and one that is not a key without printing it", async () => {
    const client = createSsmClient({ endpoint: server.url, retry: FAST_RETRY });
    await expect(loadSigner({ ssmParameter: "/parity/missing" }, { ssmClient: client })).rejects.toThrow(
      /cannot read the signing key from SSM parameter \/parity\/missing: ParameterNotFound/,
    );
    const error = await loadSigner({ ssmParameter: "/parity/not-a-key" }, { ssmClient: client }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/SSM parameter \/parity\/not-a-key is not a PEM private key/);
    expect(String(error)).not.toContain("TOPSECRET");
    client.destroy();
  });

  it("retries throttling", async () => {
    server.faults.add({ service: "ssm", action: "GetParameter", kind: "throttle", times: 2 });
    const client = createSsmClient({ endpoint: server.url, retry: FAST_RETRY });
    await expect(
      loadSigner({ ssmParameter: "/parity/record-signing-key" }, { ssmClient: client }),
    ).resolves.toMatchObject({
      keyId: TEST_KEY_ID,
    });
    client.destroy();
  });
});
