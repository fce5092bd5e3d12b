import { type Rule, report } from "../../../core/rule.ts";
import type { SettingValue } from "../../../schema/model.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

function show(setting: SettingValue): string {
  return setting.unit ? `${setting.value} (unit ${setting.unit})` : setting.value;
}

/**
 * A server setting that differs: watched settings always, any other when it is not at its
 * default on either side. A setting only one major has is explained by engine/major-version.
 */
export const engineSetting: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "engine/setting",
    description: "A behaviour-changing server setting differs.",
    defaultSeverity: "warning",
    messages: { differs: "setting {{name}} is {{actual}} in {{target}}, {{expected}} in {{baseline}}" },
  },
  check({ baseline, target, environments }) {
    const names = new Set([...Object.keys(baseline.settings), ...Object.keys(target.settings)]);
    return [...names].sort().flatMap((name) => {
      const before = baseline.settings[name];
      const after = target.settings[name];
      if (!before || !after) return [];
      if (!(before.watched || after.watched || before.nonDefault || after.nonDefault)) return [];
      if (before.value === after.value && before.unit === after.unit) return [];
      return [
        report(engineSetting.meta, {
          messageId: "differs",
          data: {
            name,
            actual: show(after),
            target: environments.target,
            expected: show(before),
            baseline: environments.baseline,
          },
          environment: environments.target,
          objectType: "setting",
          object: name,
          expected: show(before),
          actual: show(after),
        }),
      ];
    });
  },
};
