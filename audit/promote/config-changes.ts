// The config-key half of a promotion: keys the source has and the target lacks, read with the
// config-keys check's own readers. Names and types only, never values: promote shows and records
// them but does not write them (writing SSM values would mean reading secret ones).
import { basename } from "node:path";
import type { AwsClientOptions } from "../aws/index.ts";
import type { ConfigSnapshot } from "../drift/checks/config-keys/types.ts";
import type { ConfigChange } from "./record/record-file.ts";
import type { PromotionSide } from "./sides.ts";

/** Pure: the keys of `source` that `target` lacks, sorted by key. */
export function missingKeys(source: ConfigSnapshot, target: ConfigSnapshot): ConfigChange[] {
  const present = new Set(target.keys.map((key) => key.key));
  const where =
    source.source === "ssm" ? `ssm:${source.location}` : `${source.source}:${basename(source.location)}`;
  return source.keys
    .filter((key) => !present.has(key.key))
    .map((key) => ({
      key: key.key,
      source: where,
      type: source.source === "ssm" || key.type === "SecureString" ? key.type : "plain",
    }));
}

export interface ConfigChanges {
  changes: ConfigChange[];
  /** Why nothing was compared (a side has no config source), for the preview. */
  skipped?: string;
}

export async function readConfigChanges(
  source: PromotionSide,
  target: PromotionSide,
  configDir: string,
  aws: AwsClientOptions = {},
): Promise<ConfigChanges> {
  if (!source.config || !target.config) {
    const without = [source, target].filter((side) => !side.config).map((side) => side.name);
    return {
      changes: [],
      skipped: `no config source for ${without.join(" and ")} (environments.<name>.config)`,
    };
  }
  const { readConfigKeys } = await import("../drift/checks/config-keys/sources/index.ts");
  const [from, to] = await Promise.all([
    readConfigKeys(source.config, { environment: source.name, configDir }, aws),
    readConfigKeys(target.config, { environment: target.name, configDir }, aws),
  ]);
  return { changes: missingKeys(from, to) };
}
