import type { AwsClientOptions } from "../../../../aws/index.ts";
import type { ConfigKeysSpec, ReadContext } from "../../../../core/check.ts";
import type { ConfigSnapshot } from "../types.ts";
import { readDotenvKeys } from "./dotenv.ts";
import { readPulumiKeys } from "./pulumi.ts";

export { type DotenvEntry, parseDotenv } from "./dotenv-parser.ts";
export { parsePulumiStackConfig } from "./pulumi-parser.ts";
export { normalizePath } from "./ssm-path.ts";

/**
 * The one interface over every config source: a spec in, a key set out. The SSM source (and with it
 * the AWS SDK, ~0.2 s to load) is imported only when an environment reads from SSM.
 */
export async function readConfigKeys(
  spec: ConfigKeysSpec,
  context: ReadContext,
  aws: AwsClientOptions = {},
): Promise<ConfigSnapshot> {
  if ("ssm" in spec) return (await import("./ssm.ts")).readSsmKeys(spec.ssm, context, aws);
  if ("pulumi" in spec) return readPulumiKeys(spec.pulumi, context);
  return readDotenvKeys(spec.dotenv, context);
}
