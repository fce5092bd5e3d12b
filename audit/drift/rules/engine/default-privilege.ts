import { type Rule, report } from "../../../core/rule.ts";
import type { ObjectDiff } from "../../../schema/differ.ts";
import { describeValue } from "../../../schema/format.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";

/** A changed object that both servers still hold exactly as their initdb made it. */
export function isInitdbDefault(diff: ObjectDiff): boolean {
  return diff.kind === "changed" && diff.object.origin === "initdb" && diff.baseline.origin === "initdb";
}

/**
 * Privileges both servers left as initdb made them, yet different: the majors' defaults differ
 * (PUBLIC may CREATE in schema public before PostgreSQL 15, not from 15). Reported as an engine
 * difference, not as schema drift nobody made.
 */
export const engineDefaultPrivilege: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "engine/default-privilege",
    description: "Built-in (initdb) privileges differ between the servers' versions.",
    defaultSeverity: "warning",
    messages: {
      differs:
        "built-in privileges of {{grantee}} on {{on}} {{object}} are {{actual}} in {{target}}, {{expected}} in {{baseline}} (initdb defaults of each server)",
    },
  },
  check({ diffs, environments }) {
    return diffs.flatMap((diff) =>
      diff.kind === "changed" && isInitdbDefault(diff)
        ? [
            report(engineDefaultPrivilege.meta, {
              messageId: "differs",
              data: {
                grantee: String(diff.object.props.grantee),
                on: String(diff.object.props.on),
                object: diff.object.name,
                actual: describeValue(diff.object.props.privileges),
                target: environments.target,
                expected: describeValue(diff.baseline.props.privileges),
                baseline: environments.baseline,
              },
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
