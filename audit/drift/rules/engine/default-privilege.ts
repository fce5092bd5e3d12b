import { makeFinding } from "../../../core/finding.ts";
import type { ObjectDiff } from "../../../schema/differ.ts";
import { describeValue } from "../../../schema/format.ts";
import type { SchemaRule } from "../../checks/database/rule-context.ts";

/** A changed object that both servers still hold exactly as their initdb made it. */
export function isInitdbDefault(diff: ObjectDiff): boolean {
  return diff.kind === "changed" && diff.object.origin === "initdb" && diff.baseline.origin === "initdb";
}

/**
 * Privileges both servers left as initdb made them, yet different: the majors' defaults differ
 * (PUBLIC may CREATE in schema public before PostgreSQL 15, not from 15). Reported as an engine
 * difference, not as schema drift nobody made.
 */
export const engineDefaultPrivilege: SchemaRule = {
  meta: {
    id: "engine/default-privilege",
    description: "Built-in (initdb) privileges differ between the servers' versions.",
    defaultSeverity: "warning",
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "changed" && isInitdbDefault(diff)
        ? [
            makeFinding({
              ruleId: "engine/default-privilege",
              severity: "warning",
              message: `built-in privileges of ${String(diff.object.props.grantee)} on ${String(diff.object.props.on)} ${diff.object.name} are ${describeValue(diff.object.props.privileges)} in ${environments.target}, ${describeValue(diff.baseline.props.privileges)} in ${environments.baseline} (initdb defaults of each server)`,
              environment: environments.target,
              objectType: "privilege",
              object: diff.object.name,
              expected: diff.baseline.props.privileges,
              actual: diff.object.props.privileges,
            }),
          ]
        : [],
    );
  },
};
