import { type Rule, report } from "../../../core/rule.ts";
import type { EngineFacts } from "../../../schema/model.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

// Encoding and collation decide sort order, uniqueness and what text can be stored at all.
const FACTS: readonly (keyof EngineFacts)[] = ["encoding", "collate", "ctype", "localeProvider", "iculocale"];

export const engineLocale: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "engine/locale",
    description: "The database encoding, collation, ctype or locale provider differs.",
    defaultSeverity: "error",
    messages: { differs: "database {{fact}} is {{actual}} in {{target}}, {{expected}} in {{baseline}}" },
  },
  check({ baseline, target, environments }) {
    return FACTS.filter((fact) => baseline.engine[fact] !== target.engine[fact]).map((fact) =>
      report(engineLocale.meta, {
        messageId: "differs",
        data: {
          fact,
          actual: String(target.engine[fact]),
          target: environments.target,
          expected: String(baseline.engine[fact]),
          baseline: environments.baseline,
        },
        environment: environments.target,
        objectType: "database-locale",
        object: fact,
        expected: baseline.engine[fact],
        actual: target.engine[fact],
      }),
    );
  },
};
