// The pure differ: two normalized models in, typed object differences out. No findings yet;
// the rules in rules/ turn these into findings.

import { compareText } from "../core/compare-text.ts";
import type { PropValue, SchemaObject } from "./model.ts";

export type ObjectDiff =
  | { kind: "missing"; object: SchemaObject; contains: SchemaObject[] }
  | { kind: "extra"; object: SchemaObject; contains: SchemaObject[] }
  | {
      kind: "changed";
      object: SchemaObject;
      baseline: SchemaObject;
      /** Names of the properties that differ, in the model's property order. */
      changedProps: string[];
    }
  | {
      kind: "dependent";
      object: SchemaObject;
      /** The differing object this one is (transitively) built on. */
      cause: SchemaObject;
    };

function sameValue(a: PropValue | undefined, b: PropValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return (a ?? null) === (b ?? null);
}

export function changedProps(baseline: SchemaObject, target: SchemaObject): string[] {
  // Plain loops, no intermediate sets: this runs once per object on both sides.
  const changed: string[] = [];
  for (const name in baseline.props) {
    if (!sameValue(baseline.props[name], target.props[name])) changed.push(name);
  }
  for (const name in target.props) {
    if (!(name in baseline.props) && !sameValue(undefined, target.props[name])) changed.push(name);
  }
  return changed;
}

export function diffModels(
  baseline: Record<string, SchemaObject>,
  target: Record<string, SchemaObject>,
): ObjectDiff[] {
  // One enumeration of each model and nothing more: a model is an object with tens of thousands
  // of keys, and every Object.keys/values/entries of it costs 15-50 ms at 2,000 tables.
  const missing = new Set<string>();
  const extra = new Set<string>();
  const changed: ObjectDiff[] = [];
  const withDependencies: SchemaObject[] = [];
  for (const key in baseline) {
    const object = baseline[key] as SchemaObject;
    if (object.dependsOn) withDependencies.push(object);
    if (target[key] === undefined) missing.add(key);
  }
  for (const key in target) {
    const object = target[key] as SchemaObject;
    if (object.dependsOn) withDependencies.push(object);
    const before = baseline[key];
    if (before === undefined) {
      extra.add(key);
      continue;
    }
    const props = changedProps(before, object);
    if (props.length > 0) changed.push({ kind: "changed", object, baseline: before, changedProps: props });
  }

  // A missing table is one finding that lists its columns, indexes and constraints, not one
  // finding for each of them as well.
  const diffs: ObjectDiff[] = [
    ...absentRoots("missing", missing, baseline),
    ...absentRoots("extra", extra, target),
    ...changed,
  ];

  const differing = new Map<string, SchemaObject>();
  for (const key of missing) differing.set(key, baseline[key] as SchemaObject);
  for (const key of extra) differing.set(key, target[key] as SchemaObject);
  for (const diff of changed) differing.set(diff.object.key, diff.object);

  diffs.push(...dependents(baseline, target, withDependencies, differing));
  return diffs;
}

function absentRoots(
  kind: "missing" | "extra",
  absent: Set<string>,
  model: Record<string, SchemaObject>,
): ObjectDiff[] {
  const roots = new Map<string, SchemaObject[]>();
  const rootOf = (object: SchemaObject): string => {
    let current = object;
    while (current.parent !== undefined && absent.has(current.parent)) {
      current = model[current.parent] as SchemaObject;
    }
    return current.key;
  };
  for (const key of absent) {
    const object = model[key] as SchemaObject;
    const root = rootOf(object);
    if (!roots.has(root)) roots.set(root, []);
    if (root !== key) roots.get(root)?.push(object);
  }
  return [...roots].map(([key, contains]) => ({
    kind,
    object: model[key] as SchemaObject,
    contains: contains.sort((a, b) => compareText(a.key, b.key)),
  }));
}

/**
 * Objects that are the same on both sides but built on something that differs (a view over a
 * column whose enum gained a label): a migration has to recreate them, so they are named too.
 */
function dependents(
  baseline: Record<string, SchemaObject>,
  target: Record<string, SchemaObject>,
  withDependencies: readonly SchemaObject[],
  differing: Map<string, SchemaObject>,
): ObjectDiff[] {
  if (differing.size === 0) return [];
  const dependentsOf = new Map<string, Set<string>>();
  for (const object of withDependencies) {
    for (const dependency of object.dependsOn ?? []) {
      let set = dependentsOf.get(dependency);
      if (!set) {
        set = new Set();
        dependentsOf.set(dependency, set);
      }
      set.add(object.key);
    }
  }
  if (dependentsOf.size === 0) return [];
  const result: ObjectDiff[] = [];
  const reached = new Set<string>(differing.keys());
  const queue = [...differing.entries()].map(([key, cause]) => ({ key, cause }));
  for (let next = 0; next < queue.length; next += 1) {
    const { key, cause } = queue[next] as { key: string; cause: SchemaObject };
    const dependentKeys = dependentsOf.get(key);
    if (!dependentKeys) continue;
    for (const dependentKey of dependentKeys) {
      if (reached.has(dependentKey)) continue;
      reached.add(dependentKey);
      const object = target[dependentKey];
      if (!object || !baseline[dependentKey]) continue;
      result.push({ kind: "dependent", object, cause });
      queue.push({ key: dependentKey, cause });
    }
  }
  return result;
}
