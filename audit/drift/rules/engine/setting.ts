import { makeFinding } from "../../../core/finding.ts";
import type { SettingValue } from "../../../schema/model.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

function show(setting: SettingValue): string {
  return setting.unit ? `${setting.value} (unit ${setting.unit})` : setting.value;
}

/**
 * A server setting that differs: watched settings always, any other when it is not at its
 * default on either side. A setting only one major has is explained by engine/major-version.
 */
export const engineSetting: SchemaRule = {
  meta: {
    id: "engine/setting",
    description: "A behaviour-changing server setting differs.",
    defaultSeverity: "warning",
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
        makeFinding({
          ruleId: "engine/setting",
          severity: "warning",
          message: `setting ${name} is ${show(after)} in ${environments.target}, ${show(before)} in ${environments.baseline}`,
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
