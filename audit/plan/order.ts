// Statements in the order they run: by phase, then, inside a phase, each after the statements
// of the objects it names in `after` (a stable topological sort; ties keep the order they were
// planned in, which is by object key).
import type { Step } from "./step.ts";

export function orderSteps(steps: readonly Step[]): Step[] {
  const byPhase = new Map<number, Step[]>();
  for (const step of steps) {
    const group = byPhase.get(step.phase) ?? [];
    group.push(step);
    byPhase.set(step.phase, group);
  }
  const ordered: Step[] = [];
  for (const phase of [...byPhase.keys()].sort((a, b) => a - b)) {
    ordered.push(...topological(byPhase.get(phase) ?? []));
  }
  return ordered;
}

function topological(steps: Step[]): Step[] {
  const keys = new Set(steps.map((step) => step.key));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const byKey = new Map<string, Step[]>();
  for (const step of steps) byKey.set(step.key, [...(byKey.get(step.key) ?? []), step]);
  const result: Step[] = [];
  const visit = (key: string) => {
    if (done.has(key) || visiting.has(key)) return; // a cycle keeps planned order
    visiting.add(key);
    for (const step of byKey.get(key) ?? [])
      for (const before of step.after) if (keys.has(before)) visit(before);
    visiting.delete(key);
    done.add(key);
    result.push(...(byKey.get(key) ?? []));
  };
  for (const step of steps) visit(step.key);
  return result;
}
