import { makeFinding } from "../../../core/finding.ts";
import type { EngineFacts } from "../../../schema/model.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

// Encoding and collation decide sort order, uniqueness and what text can be stored at all.
const FACTS: readonly (keyof EngineFacts)[] = ["encoding", "collate", "ctype", "localeProvider", "iculocale"];

export const engineLocale: SchemaRule = {
  meta: {
    id: "engine/locale",
    description: "The database encoding, collation, ctype or locale provider differs.",
    defaultSeverity: "error",
  },
  check({ baseline, target, environments }) {
    return FACTS.filter((fact) => baseline.engine[fact] !== target.engine[fact]).map((fact) =>
      makeFinding({
        ruleId: "engine/locale",
        severity: "error",
        message: `database ${fact} is ${String(target.engine[fact])} in ${environments.target}, ${String(baseline.engine[fact])} in ${environments.baseline}`,
        environment: environments.target,
        objectType: "database-locale",
        object: fact,
        expected: baseline.engine[fact],
        actual: target.engine[fact],
      }),
    );
  },
};
