import { type Rule, report } from "../../../core/rule.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/**
 * An extension installed at a different version. Kept apart from schema/changed because the
 * version usually follows the server's contrib package (PostgreSQL 15 ships hstore 1.8, 13 ships
 * 1.7), and pg_dump never shows it at all.
 */
export const engineExtensionVersion: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "engine/extension-version",
    description: "An extension is installed at a different version.",
    defaultSeverity: "warning",
    messages: {
      differs: "extension {{extension}} is at version {{actual}} in {{target}}, {{expected}} in {{baseline}}",
    },
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "changed" &&
      diff.object.objectType === "extension" &&
      diff.changedProps.includes("version")
        ? [
            report(engineExtensionVersion.meta, {
              messageId: "differs",
              data: {
                extension: diff.object.name,
                actual: String(diff.object.props.version),
                target: environments.target,
                expected: String(diff.baseline.props.version),
                baseline: environments.baseline,
              },
              environment: environments.target,
              objectType: "extension",
              object: diff.object.name,
              expected: diff.baseline.props.version,
              actual: diff.object.props.version,
            }),
          ]
        : [],
    );
  },
};
