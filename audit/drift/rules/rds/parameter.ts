// Parameter groups: the user-set (Source=user) values of the baseline and the target. Instance-level
// and cluster-level groups are compared separately (objectType rds-parameter / rds-cluster-parameter);
// when one environment is an instance and the other a cluster, the cluster's effective values (cluster
// group overlaid by the writer's instance group) are compared with the instance's as rds-parameter.
import { type Finding, makeFinding } from "../../../core/finding.ts";
import type { RdsRule, RdsRuleContext, RdsSnapshot } from "../../checks/rds/types.ts";

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

export const parameterRule: RdsRule = {
  meta: {
    id: "rds/parameter",
    description:
      "A parameter set in the baseline's parameter group has another value, or none, in the target's.",
    defaultSeverity: "error",
  },
  check(context) {
    const findings: Finding[] = [];
    for (const set of parameterSets(context)) {
      for (const [name, expected] of Object.entries(set.baseline)) {
        const actual = set.target[name];
        if (actual === expected) continue;
        const where = groupLabel(context.target, set.objectType);
        findings.push(
          makeFinding({
            ruleId: parameterRule.meta.id,
            severity: parameterRule.meta.defaultSeverity,
            message:
              actual === undefined
                ? `Parameter ${name} is set to ${expected} in ${groupLabel(context.baseline, set.objectType)} but left at the engine default in ${where}`
                : `Parameter ${name} is ${actual} in ${where}, ${expected} in ${groupLabel(context.baseline, set.objectType)}`,
            environment: context.target.environment,
            objectType: set.objectType,
            object: name,
            expected,
            ...(actual !== undefined ? { actual } : {}),
          }),
        );
      }
    }
    return findings;
  },
};
