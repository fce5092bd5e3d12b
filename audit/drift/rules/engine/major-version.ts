import { type Rule, report } from "../../../core/rule.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/** Different PostgreSQL majors behave differently (planner, catalog, defaults): always an error. */
export const engineMajorVersion: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "engine/major-version",
    description: "The target server runs a different PostgreSQL major version.",
    defaultSeverity: "error",
    messages: { differs: "PostgreSQL {{actual}} in {{target}}, {{expected}} in {{baseline}}" },
  },
  check({ baseline, target, environments }) {
    if (baseline.engine.major === target.engine.major) return [];
    return [
      report(engineMajorVersion.meta, {
        messageId: "differs",
        data: {
          actual: target.engine.major,
          target: environments.target,
          expected: baseline.engine.major,
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
