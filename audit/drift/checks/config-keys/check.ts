// The config check: read one environment's keys from its source; compare two key sets with every rule.
import type { AwsClientOptions } from "../../../aws/index.ts";
import type { AuditCheck, ConfigKeysSpec } from "../../../core/check.ts";
import { compareFindings } from "../../../core/finding.ts";
import { metasOf, rulesByDomain } from "../../rules/index.ts";
import { readConfigKeys } from "./sources/index.ts";
import type { ConfigSnapshot } from "./types.ts";

export interface ConfigKeysCheckOptions {
  /** Client tuning for the SSM source (tests pass a tiny backoff and dummy credentials). */
  aws?: AwsClientOptions;
}

export function createConfigKeysCheck(
  options: ConfigKeysCheckOptions = {},
): AuditCheck<ConfigKeysSpec, ConfigSnapshot> {
  return {
    id: "config",
    rules: metasOf("config"),
    read: (spec, context) => readConfigKeys(spec, context, options.aws),
    compare: (baseline, target, environments) =>
      rulesByDomain.config
        .flatMap((rule) => rule.check({ baseline, target, environments }))
        .sort(compareFindings),
  };
}

export const configKeysCheck: AuditCheck<ConfigKeysSpec, ConfigSnapshot> = createConfigKeysCheck();
