// Parameter groups: the user-set (Source=user) values of the baseline and the target. Instance-level
// and cluster-level groups are compared separately (objectType rds-parameter / rds-cluster-parameter);
// when one environment is an instance and the other a cluster, the cluster's effective values (cluster
// group overlaid by the writer's instance group) are compared with the instance's as rds-parameter.
import type { Finding } from "../../../core/finding.ts";
import { type Rule, report } from "../../../core/rule.ts";
import type { RdsRuleContext, RdsSnapshot } from "../../checks/rds/types.ts";

export type ParameterObjectType = "rds-parameter" | "rds-cluster-parameter";

export interface ParameterSet {
  objectType: ParameterObjectType;
  baseline: Record<string, string>;
  target: Record<string, string>;
}

export function parameterSets({ baseline, target }: RdsRuleContext): ParameterSet[] {
  if (baseline.kind !== target.kind) {
    return [{ objectType: "rds-parameter", baseline: effective(baseline), target: effective(target) }];
  }
  const sets: ParameterSet[] = [
    { objectType: "rds-parameter", baseline: baseline.parameters, target: target.parameters },
  ];
  if (baseline.kind === "cluster") {
    sets.push({
      objectType: "rds-cluster-parameter",
      baseline: baseline.clusterParameters,
      target: target.clusterParameters,
    });
  }
  return sets;
}

function effective(snapshot: RdsSnapshot): Record<string, string> {
  return { ...snapshot.clusterParameters, ...snapshot.parameters };
}

export function groupLabel(snapshot: RdsSnapshot, objectType: ParameterObjectType): string {
  const group =
    objectType === "rds-cluster-parameter" ? snapshot.clusterParameterGroup : snapshot.parameterGroup;
  return group ? `${snapshot.environment} (${group})` : snapshot.environment;
}

export const parameterRule: Rule<RdsRuleContext, "differs" | "leftAtDefault"> = {
  meta: {
    id: "rds/parameter",
    description:
      "A parameter set in the baseline's parameter group has another value, or none, in the target's.",
    defaultSeverity: "error",
    messages: {
      differs: "Parameter {{name}} is {{actual}} in {{target}}, {{expected}} in {{baseline}}",
      leftAtDefault:
        "Parameter {{name}} is set to {{expected}} in {{baseline}} but left at the engine default in {{target}}",
    },
  },
  check(context) {
    const findings: Finding[] = [];
    for (const set of parameterSets(context)) {
      for (const [name, expected] of Object.entries(set.baseline)) {
        const actual = set.target[name];
        if (actual === expected) continue;
        findings.push(
          report(parameterRule.meta, {
            messageId: actual === undefined ? "leftAtDefault" : "differs",
            data: {
              name,
              expected,
              actual: actual ?? "",
              target: groupLabel(context.target, set.objectType),
              baseline: groupLabel(context.baseline, set.objectType),
            },
            environment: context.target.environment,
            objectType: set.objectType,
            object: name,
            expected,
            actual,
          }),
        );
      }
    }
    return findings;
  },
};
