import { makeFinding } from "../../../core/finding.ts";
import { describeObject } from "../../../schema/format.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/**
 * An object that is identical on both sides but built on one that differs (a view over a column
 * whose enum type changed). Informational: it names what a migration will have to recreate.
 */
export const schemaDependent: SchemaRule = {
  meta: {
    id: "schema/dependent",
    description: "An unchanged object depends on an object that differs, so migrating must recreate it.",
    defaultSeverity: "info",
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "dependent"
        ? [
            makeFinding({
              ruleId: "schema/dependent",
              severity: "info",
              message: `${describeObject(diff.object)} is unchanged but depends on ${describeObject(diff.cause)}, which differs`,
              environment: environments.target,
              objectType: diff.object.objectType,
              object: diff.object.name,
            }),
          ]
        : [],
    );
  },
};
