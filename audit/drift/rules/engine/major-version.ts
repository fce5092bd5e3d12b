import { makeFinding } from "../../../core/finding.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/** Different PostgreSQL majors behave differently (planner, catalog, defaults): always an error. */
export const engineMajorVersion: SchemaRule = {
  meta: {
    id: "engine/major-version",
    description: "The target server runs a different PostgreSQL major version.",
    defaultSeverity: "error",
  },
  check({ baseline, target, environments }) {
    if (baseline.engine.major === target.engine.major) return [];
    return [
      makeFinding({
        ruleId: "engine/major-version",
        severity: "error",
        message: `PostgreSQL ${target.engine.major} in ${environments.target}, ${baseline.engine.major} in ${environments.baseline}`,
        environment: environments.target,
        objectType: "server-version",
        object: "server_version",
        expected: baseline.engine.version,
        actual: target.engine.version,
      }),
    ];
  },
};
