// The config check: read one environment's keys from its source; compare two key sets with every rule.
import type { AwsClientOptions } from "../../../aws/index.ts";
import type { AuditCheck, ConfigSpec } from "../../../core/check.ts";
import { compareFindings } from "../../../core/finding.ts";
import { configRules } from "../../rules/config/index.ts";
import { readConfigKeys } from "./sources/index.ts";
import type { ConfigSnapshot } from "./types.ts";

export interface ConfigCheckOptions {
  /** Client tuning for the SSM source (tests pass a tiny backoff and dummy credentials). */
  aws?: AwsClientOptions;
}

export function createConfigCheck(options: ConfigCheckOptions = {}): AuditCheck<ConfigSpec, ConfigSnapshot> {
  return {
    id: "config",
    rules: configRules.map((rule) => rule.meta),
    read: (spec, context) => readConfigKeys(spec, context, options.aws),
    compare: (baseline, target, environments) =>
      configRules.flatMap((rule) => rule.check({ baseline, target, environments })).sort(compareFindings),
  };
}

export const configCheck: AuditCheck<ConfigSpec, ConfigSnapshot> = createConfigCheck();
