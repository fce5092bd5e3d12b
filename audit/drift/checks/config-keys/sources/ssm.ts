// SSM Parameter Store by path: GetParametersByPath, recursive, every page. WithDecryption is never
// sent, so SecureString values are never decrypted; what the API returns for them (ciphertext) is
// dropped on the spot so not even that reaches a snapshot, a finding or a log.
import { paginateGetParametersByPath, type SSMClient } from "@aws-sdk/client-ssm";
import { type AwsClientOptions, createSsmClient, describeAwsError } from "../../../../aws/index.ts";
import type { ReadContext } from "../../../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../../../core/errors.ts";
import type { ConfigKey, ConfigKeyType, ConfigSnapshot } from "../types.ts";
import { toKeySet } from "./normalize.ts";
import { normalizePath } from "./ssm-path.ts";

export interface SsmSourceSpec {
  path: string;
  region?: string;
  endpoint?: string;
}

/** The service's maximum page size for GetParametersByPath. */
const PAGE_SIZE = 10;
const KNOWN_TYPES = new Set<ConfigKeyType>(["String", "StringList", "SecureString"]);

export async function readSsmKeys(
  spec: SsmSourceSpec,
  context: ReadContext,
  aws: AwsClientOptions = {},
): Promise<ConfigSnapshot> {
  const prefix = normalizePath(spec.path, context.environment);
  const client = createSsmClient({
    ...aws,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
  });
  try {
    const keys = await fetchKeys(client, prefix, context);
    return {
      environment: context.environment,
      source: "ssm",
      location: prefix,
      keys: toKeySet(keys, prefix),
    };
  } catch (error) {
    if (error instanceof ParityInputError) throw error;
    throw new EnvironmentReadError(
      context.environment,
      `SSM parameters under ${prefix}`,
      describeAwsError(error),
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

async function fetchKeys(client: SSMClient, prefix: string, context: ReadContext): Promise<ConfigKey[]> {
  const keys: ConfigKey[] = [];
  const pages = paginateGetParametersByPath(
    { client, pageSize: PAGE_SIZE },
    // Deliberately no WithDecryption: the audit compares keys and types, and only reads plain values.
    { Path: prefix, Recursive: true },
  );
  for await (const page of pages) {
    context.signal?.throwIfAborted();
    for (const parameter of page.Parameters ?? []) {
      const name = parameter.Name ?? "";
      const type = parameter.Type as ConfigKeyType;
      if (!name.startsWith(prefix) || !KNOWN_TYPES.has(type)) continue;
      const key: ConfigKey = { key: name.slice(prefix.length), name, type };
      if (type !== "SecureString" && parameter.Value !== undefined) key.value = parameter.Value;
      keys.push(key);
    }
  }
  return keys;
}
