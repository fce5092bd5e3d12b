// The drift that rots staging first: production gained a key and the target never got it.
import { type Rule, report } from "../../../core/rule.ts";
import type { ConfigKeysRuleContext } from "../../checks/config-keys/types.ts";

export const missingKey: Rule<ConfigKeysRuleContext, "missing"> = {
  meta: {
    id: "config/missing-key",
    description: "A key the baseline has is missing from the target.",
    defaultSeverity: "error",
    messages: {
      missing:
        'Config key "{{key}}" ({{type}}) is in {{baseline}} ({{name}}) but missing from {{target}} ({{targetLocation}})',
    },
  },
  check({ baseline, target }) {
    const targetKeys = new Set(target.keys.map((k) => k.key));
    return baseline.keys
      .filter((k) => !targetKeys.has(k.key))
      .map((k) =>
        report(missingKey.meta, {
          messageId: "missing",
          data: {
            key: k.key,
            type: k.type,
            baseline: baseline.environment,
            name: k.name,
            target: target.environment,
            targetLocation: target.location,
          },
          environment: target.environment,
          objectType: "config-key",
          object: k.key,
          expected: { type: k.type },
        }),
      );
  },
};
