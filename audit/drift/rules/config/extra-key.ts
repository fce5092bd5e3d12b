// A key only the target has: often a leftover pointing at a decommissioned service, sometimes a
// key production still needs. Worth a look, not a failed build.
import { type Rule, report } from "../../../core/rule.ts";
import type { ConfigKeysRuleContext } from "../../checks/config-keys/types.ts";

export const extraKey: Rule<ConfigKeysRuleContext, "extra"> = {
  meta: {
    id: "config/extra-key",
    description: "The target has a key the baseline does not.",
    defaultSeverity: "warning",
    messages: {
      extra:
        'Config key "{{key}}" ({{type}}) is in {{target}} ({{name}}) but not in {{baseline}} ({{baselineLocation}})',
    },
  },
  check({ baseline, target }) {
    const baselineKeys = new Set(baseline.keys.map((k) => k.key));
    return target.keys
      .filter((k) => !baselineKeys.has(k.key))
      .map((k) =>
        report(extraKey.meta, {
          messageId: "extra",
          data: {
            key: k.key,
            type: k.type,
            target: target.environment,
            name: k.name,
            baseline: baseline.environment,
            baselineLocation: baseline.location,
          },
          environment: target.environment,
          objectType: "config-key",
          object: k.key,
          actual: { type: k.type },
        }),
      );
  },
};
