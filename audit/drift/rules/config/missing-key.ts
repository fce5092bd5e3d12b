// The drift that rots staging first: production gained a key and the target never got it.
import { makeFinding } from "../../../core/finding.ts";
import type { ConfigKeysRule } from "../../checks/config-keys/types.ts";

export const missingKey: ConfigKeysRule = {
  meta: {
    id: "config/missing-key",
    description: "A key the baseline has is missing from the target.",
    defaultSeverity: "error",
  },
  check({ baseline, target }) {
    const targetKeys = new Set(target.keys.map((k) => k.key));
    return baseline.keys
      .filter((k) => !targetKeys.has(k.key))
      .map((k) =>
        makeFinding({
          ruleId: missingKey.meta.id,
          severity: missingKey.meta.defaultSeverity,
          message: `Config key "${k.key}" (${k.type}) is in ${baseline.environment} (${k.name}) but missing from ${target.environment} (${target.location})`,
          environment: target.environment,
          objectType: "config-key",
          object: k.key,
          expected: { type: k.type },
        }),
      );
  },
};
