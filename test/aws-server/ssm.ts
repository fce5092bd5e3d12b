// SSM's JSON 1.1 protocol for GetParametersByPath (and GetParameter), as the real service behaves: POST /,
// `X-Amz-Target: AmazonSSM.GetParametersByPath`, `Content-Type: application/x-amz-json-1.1`; errors
// are JSON bodies with `__type` and a 4xx/5xx status. Paging follows the documented best-effort
// contract: a page holds between zero and MaxResults items (≤ 10) and a NextToken while more remain,
// so callers that stop at the first short or empty page are caught.
import { Buffer } from "node:buffer";

export type SsmParameterType = "String" | "StringList" | "SecureString";

export interface SsmParameterFixture {
  name: string;
  type: SsmParameterType;
  /** Plaintext; SecureString plaintext is only ever returned with WithDecryption=true. */
  value: string;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

export const SSM_TARGET_PREFIX = "AmazonSSM.";
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

export function ssmError(status: number, type: string, message: string): JsonResponse {
  return { status, body: { __type: type, message } };
}

/** Sorted by name, like the service's listing order, so tokens can be positions. */
export class SsmStore {
  private readonly parameters: SsmParameterFixture[];

  constructor(parameters: SsmParameterFixture[]) {
    this.parameters = [...parameters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  handle(operation: string, input: Record<string, unknown>): JsonResponse {
    if (operation === "GetParameter") return this.getParameter(input);
    if (operation !== "GetParametersByPath") {
      return ssmError(400, "UnknownOperationException", `Unknown operation ${operation}`);
    }
    return this.getParametersByPath(input);
  }

  /** GetParameter: one parameter by name; ParameterNotFound (400) when there is none. */
  private getParameter(input: Record<string, unknown>): JsonResponse {
    const parameter = this.parameters.find((p) => p.name === input.Name);
    if (!parameter) return ssmError(400, "ParameterNotFound", "");
    const decrypt = input.WithDecryption === true;
    return {
      status: 200,
      body: {
        Parameter: {
          Name: parameter.name,
          Type: parameter.type,
          Value:
            parameter.type === "SecureString" && !decrypt ? fakeCiphertext(parameter.value) : parameter.value,
          Version: 1,
          LastModifiedDate: 1_700_000_000.123,
          ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${parameter.name}`,
          DataType: "text",
        },
      },
    };
  }

  private getParametersByPath(input: Record<string, unknown>): JsonResponse {
    const path = input.Path;
    if (typeof path !== "string" || !path.startsWith("/")) {
      return ssmError(400, "ValidationException", "Parameter path must start with /");
    }
    const maxResults = input.MaxResults ?? 10;
    if (typeof maxResults !== "number" || maxResults < 1 || maxResults > 10) {
      return ssmError(
        400,
        "ValidationException",
        `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
      );
    }
    const prefix = path.endsWith("/") ? path : `${path}/`;
    let start = this.parameters.findIndex((p) => p.name.startsWith(prefix));
    if (input.NextToken !== undefined) {
      const decoded = decodeToken(input.NextToken, prefix);
      if (decoded === undefined) return ssmError(400, "InvalidNextToken", "The specified token isn't valid.");
      start = decoded;
    }
    if (start < 0) return { status: 200, body: { Parameters: [] } };

    // Scan a window of MaxResults stored names under the prefix, then filter: non-recursive reads
    // therefore see short and even empty pages that still carry a NextToken.
    const page: SsmParameterFixture[] = [];
    let index = start;
    while (index < this.parameters.length && index - start < maxResults) {
      const parameter = this.parameters[index] as SsmParameterFixture;
      if (!parameter.name.startsWith(prefix)) break;
      const rest = parameter.name.slice(prefix.length);
      if (input.Recursive === true || !rest.includes("/")) page.push(parameter);
      index += 1;
    }
    const more =
      index < this.parameters.length &&
      (this.parameters[index] as SsmParameterFixture).name.startsWith(prefix);
    const withDecryption = input.WithDecryption === true;
    const body: Record<string, unknown> = {
      Parameters: page.map((p, i) => ({
        Name: p.name,
        Type: p.type,
        Value: p.type === "SecureString" && !withDecryption ? fakeCiphertext(p.value) : p.value,
        Version: 1 + (i % 3),
        LastModifiedDate: 1_700_000_000.123,
        ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${p.name}`,
        DataType: "text",
      })),
    };
    if (more) body.NextToken = encodeToken(prefix, index);
    return { status: 200, body };
  }
}

function encodeToken(prefix: string, index: number): string {
  return Buffer.from(JSON.stringify({ prefix, index })).toString("base64");
}

function decodeToken(token: unknown, prefix: string): number | undefined {
  if (typeof token !== "string") return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as {
      prefix?: unknown;
      index?: unknown;
    };
    return parsed.prefix === prefix && typeof parsed.index === "number" ? parsed.index : undefined;
  } catch {
    return undefined;
  }
}

/** What the service returns for a SecureString read without decryption: an opaque KMS blob. */
export function fakeCiphertext(plaintext: string): string {
  return Buffer.concat([Buffer.from([1, 2, 2, 0, 120]), Buffer.from(plaintext).reverse()]).toString("base64");
}
