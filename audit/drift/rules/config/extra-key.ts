// A key only the target has: often a leftover pointing at a decommissioned service, sometimes a
// key production still needs. Worth a look, not a failed build.
import { makeFinding } from "../../../core/finding.ts";
import type { ConfigKeysRule } from "../../checks/config-keys/types.ts";

export const extraKey: ConfigKeysRule = {
  meta: {
    id: "config/extra-key",
    description: "The target has a key the baseline does not.",
    defaultSeverity: "warning",
  },
  check({ baseline, target }) {
    const baselineKeys = new Set(baseline.keys.map((k) => k.key));
    return target.keys
      .filter((k) => !baselineKeys.has(k.key))
      .map((k) =>
        makeFinding({
          ruleId: extraKey.meta.id,
          severity: extraKey.meta.defaultSeverity,
          message: `Config key "${k.key}" (${k.type}) is in ${target.environment} (${k.name}) but not in ${baseline.environment} (${baseline.location})`,
          environment: target.environment,
          objectType: "config-key",
          object: k.key,
          actual: { type: k.type },
        }),
      );
  },
};
