import { type Rule, report } from "../../../core/rule.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/** Same major, different minor: bug-fix releases, worth knowing but rarely blocking. */
export const engineMinorVersion: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "engine/minor-version",
    description: "The target server runs the same major but a different minor PostgreSQL release.",
    defaultSeverity: "warning",
    messages: { differs: "PostgreSQL {{actual}} in {{target}}, {{expected}} in {{baseline}}" },
  },
  check({ baseline, target, environments }) {
    if (baseline.engine.major !== target.engine.major || baseline.engine.minor === target.engine.minor)
      return [];
    return [
      report(engineMinorVersion.meta, {
        messageId: "differs",
        data: {
          actual: `${target.engine.major}.${target.engine.minor}`,
          target: environments.target,
          expected: `${baseline.engine.major}.${baseline.engine.minor}`,
          baseline: environments.baseline,
        },
        environment: environments.target,
        objectType: "server-version",
        object: "server_version",
        expected: baseline.engine.version,
        actual: target.engine.version,
      }),
    ];
  },
};
