import { makeFinding } from "../../../core/finding.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/** Same major, different minor: bug-fix releases, worth knowing but rarely blocking. */
export const engineMinorVersion: SchemaRule = {
  meta: {
    id: "engine/minor-version",
    description: "The target server runs the same major but a different minor PostgreSQL release.",
    defaultSeverity: "warning",
  },
  check({ baseline, target, environments }) {
    if (baseline.engine.major !== target.engine.major || baseline.engine.minor === target.engine.minor)
      return [];
    return [
      makeFinding({
        ruleId: "engine/minor-version",
        severity: "warning",
        message: `PostgreSQL ${target.engine.major}.${target.engine.minor} in ${environments.target}, ${baseline.engine.major}.${baseline.engine.minor} in ${environments.baseline}`,
        environment: environments.target,
        objectType: "server-version",
        object: "server_version",
        expected: baseline.engine.version,
        actual: target.engine.version,
      }),
    ];
  },
};
