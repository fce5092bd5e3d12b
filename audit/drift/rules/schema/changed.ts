import { type Rule, report } from "../../../core/rule.ts";
import {
  crossMajorPropertyReason,
  definitionDiff,
  describeObject,
  describeValue,
} from "../../../schema/format.ts";
import type { PropValue } from "../../../schema/model.ts";
import type { SchemaRuleContext } from "../../checks/database/rule-context.ts";
import { isInitdbDefault } from "../engine/default-privilege.ts";

/** An object on both sides whose properties differ; definitions come with a unified diff. */
export const schemaChanged: Rule<SchemaRuleContext, "differs"> = {
  meta: {
    id: "schema/changed",
    description: "An object exists on both sides but its definition or properties differ.",
    defaultSeverity: "error",
    messages: { differs: "{{object}} differs: {{changes}}" },
  },
  check({ baseline, target, diffs, environments }) {
    const majors = { baseline: baseline.engine.major, target: target.engine.major };
    return diffs.flatMap((diff) => {
      if (diff.kind !== "changed") return [];
      // Both sides as their initdb made them: an engine default (engine/default-privilege).
      if (isInitdbDefault(diff)) return [];
      // An extension's version has its own rule (engine/extension-version).
      const props =
        diff.object.objectType === "extension"
          ? diff.changedProps.filter((prop) => prop !== "version")
          : diff.changedProps;
      if (props.length === 0) return [];
      const expected: Record<string, PropValue> = {};
      const actual: Record<string, PropValue> = {};
      for (const prop of props) {
        expected[prop] = diff.baseline.props[prop] ?? null;
        actual[prop] = diff.object.props[prop] ?? null;
      }
      const summary = props
        .map((prop) => {
          if (prop === "definition") return "definition (see diff)";
          const values = { baseline: expected[prop] ?? null, target: actual[prop] ?? null };
          const reason = crossMajorPropertyReason(diff.object.objectType, prop, majors, values);
          return `${prop} ${describeValue(expected[prop])} → ${describeValue(actual[prop])}${reason ? ` (${reason})` : ""}`;
        })
        .join("; ");
      const before = expected.definition;
      const after = actual.definition;
      return [
        report(schemaChanged.meta, {
          messageId: "differs",
          data: { object: describeObject(diff.object), changes: summary },
          environment: environments.target,
          objectType: diff.object.objectType,
          object: diff.object.name,
          expected,
          actual,
          diff: props.includes("definition")
            ? definitionDiff(
                diff.object.name,
                { environment: environments.baseline, text: typeof before === "string" ? before : "" },
                { environment: environments.target, text: typeof after === "string" ? after : "" },
              )
            : undefined,
        }),
      ];
    });
  },
};
