import type { AwsClientOptions } from "../../aws/index.ts";
import type { ConfigSpec, ReadContext } from "../../core/check.ts";
import type { ConfigSnapshot } from "../types.ts";
import { readDotenvKeys } from "./dotenv.ts";
import { readPulumiKeys } from "./pulumi.ts";
import { readSsmKeys } from "./ssm.ts";

export { type DotenvEntry, parseDotenv } from "./dotenv-parser.ts";
export { parsePulumiStackConfig } from "./pulumi-parser.ts";
export { normalizePath } from "./ssm.ts";

/** The one interface over every config source: a spec in, a key set out. */
export function readConfigKeys(
  spec: ConfigSpec,
  context: ReadContext,
  aws: AwsClientOptions = {},
): Promise<ConfigSnapshot> {
  if ("ssm" in spec) return readSsmKeys(spec.ssm, context, aws);
  if ("pulumi" in spec) return readPulumiKeys(spec.pulumi, context);
  return readDotenvKeys(spec.dotenv, context);
}
