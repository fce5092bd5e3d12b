import { makeFinding } from "../../../core/finding.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/**
 * An extension installed at a different version. Kept apart from schema/changed because the
 * version usually follows the server's contrib package (PostgreSQL 15 ships hstore 1.8, 13 ships
 * 1.7), and pg_dump never shows it at all.
 */
export const engineExtensionVersion: SchemaRule = {
  meta: {
    id: "engine/extension-version",
    description: "An extension is installed at a different version.",
    defaultSeverity: "warning",
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "changed" &&
      diff.object.objectType === "extension" &&
      diff.changedProps.includes("version")
        ? [
            makeFinding({
              ruleId: "engine/extension-version",
              severity: "warning",
              message: `extension ${diff.object.name} is at version ${String(diff.object.props.version)} in ${environments.target}, ${String(diff.baseline.props.version)} in ${environments.baseline}`,
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
