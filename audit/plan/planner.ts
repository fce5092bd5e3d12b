// The pure core of `parity plan`: two models of parity's own (audit/schema/model.ts) in, the
// ordered statements that turn `to` into `from` out, or the refusals that say why not.
// The differences are the differ's own (audit/schema/differ.ts): what the audit reports is
// exactly what the plan changes.
import { compareText } from "../core/compare-text.ts";
import { diffModels } from "../schema/differ.ts";
import type { DatabaseSnapshot, SchemaObject } from "../schema/model.ts";
import type { PlanContext } from "./context.ts";
import { NOT_PLANNED } from "./kinds/not-planned.ts";
import { orderSteps } from "./order.ts";
import type { PlanStatement, Refusal } from "./plan-file.ts";
import { planners } from "./planners.ts";
import { makeStep, PHASE, type Step } from "./step.ts";

export interface MigrationPlan {
  statements: PlanStatement[];
  refusals: Refusal[];
}

/** Dependents the differ names that are rebuilt with what they are built on. */
const REBUILT_DEPENDENTS = new Set(["view", "materialized-view", "trigger"]);

/**
 * Kinds planned first: the enum planner decides which columns it converts itself, and the
 * column planner reads that.
 */
const KIND_ORDER = ["enum"];

export function planMigration(from: DatabaseSnapshot, to: DatabaseSnapshot): MigrationPlan {
  const creating = new Set<string>();
  const dropping = new Set<string>();
  const altering = new Map<string, readonly string[]>();
  const rebuild: string[] = [];
  const steps: Step[] = [];
  const refusals: Refusal[] = [];
  const children = { from: childIndex(from.objects), to: childIndex(to.objects) };

  const context: PlanContext = {
    from: from.objects,
    to: to.objects,
    targetMajor: to.engine.major,
    sourceMajor: from.engine.major,
    creating,
    dropping,
    altering,
    retyped: new Set(),
    childrenOf: (side, key) => children[side].get(key) ?? [],
    emit: (step) => steps.push(step),
    refuse: (object, reason) => {
      if (
        !refusals.some(
          (item) =>
            item.name === object.name && item.objectType === object.objectType && item.reason === reason,
        )
      )
        refusals.push({ objectType: object.objectType, name: object.name, reason });
    },
  };

  for (const diff of diffModels(from.objects, to.objects)) {
    if (diff.kind === "missing")
      for (const object of [diff.object, ...diff.contains]) creating.add(object.key);
    else if (diff.kind === "extra")
      for (const object of [diff.object, ...diff.contains]) dropping.add(object.key);
    else if (diff.kind === "changed") {
      // Both still as their own initdb made them: the majors' defaults, not a change anyone made.
      if (diff.object.origin === "initdb" && diff.baseline.origin === "initdb") continue;
      const before = diff.object;
      const after = diff.baseline;
      const planner = planners[after.objectType];
      // Every owned kind compares its owner; no kind's planner writes OWNER TO yet.
      if (diff.changedProps.includes("owner"))
        context.refuse(
          after,
          `${NOT_PLANNED} owner changes (ALTER … OWNER TO) yet: make this change by hand`,
        );
      const changed = diff.changedProps.filter((prop) => prop !== "owner");
      if (changed.length === 0) continue;
      if (planner.recreates?.(before, after, changed, context)) rebuild.push(after.key);
      else altering.set(after.key, changed);
    } else if (REBUILT_DEPENDENTS.has(diff.object.objectType)) rebuild.push(diff.object.key);
  }

  // A rebuilt object takes its children (a view's triggers and grants, …) and whatever its kind
  // says is built on it; each is dropped from `to` and created from `from`.
  for (let next = 0; next < rebuild.length; next += 1) {
    const key = rebuild[next] as string;
    const after = from.objects[key];
    if (!after || !to.objects[key] || (creating.has(key) && dropping.has(key))) continue;
    creating.add(key);
    dropping.add(key);
    altering.delete(key);
    rebuild.push(...(planners[after.objectType].alsoRecreates?.(after, context) ?? []));
    for (const child of children.from.get(key) ?? []) {
      if (to.objects[child.key]) rebuild.push(child.key);
      else creating.add(child.key);
    }
    for (const child of children.to.get(key) ?? []) if (!from.objects[child.key]) dropping.add(child.key);
  }
  refuseAmbiguousSchemas(context);
  // Changes to objects that are created anew anyway are part of their creation.
  for (const key of altering.keys()) if (creating.has(key)) altering.delete(key);

  const byKindOrder = (keys: Iterable<string>, model: Record<string, SchemaObject>) =>
    [...keys]
      .map((key) => model[key] as SchemaObject)
      .sort((a, b) => rank(a) - rank(b) || compareText(a.key, b.key));

  for (const [key, changed] of [...altering].sort(
    ([a], [b]) => rankKey(a) - rankKey(b) || compareText(a, b),
  )) {
    planners[(from.objects[key] as SchemaObject).objectType].alter(
      to.objects[key] as SchemaObject,
      from.objects[key] as SchemaObject,
      changed,
      context,
    );
  }
  for (const object of byKindOrder(dropping, to.objects)) {
    // What lives on a dropped relation (columns, indexes, grants, …) goes with it; only the
    // contents of a schema are dropped one by one.
    const parent = object.parent ? to.objects[object.parent] : undefined;
    if (parent && parent.objectType !== "schema" && dropping.has(parent.key)) continue;
    planners[object.objectType].drop(object, context);
  }
  for (const object of byKindOrder(creating, from.objects))
    planners[object.objectType].create(object, context);

  if (refusals.length > 0)
    return { statements: [], refusals: refusals.sort((a, b) => compareText(a.name, b.name)) };
  if (steps.some((step) => step.phase === PHASE.createRoutine)) {
    // Routine bodies may name tables the plan creates later (pg_dump does the same).
    steps.push(
      makeStep({
        phase: PHASE.settings,
        sql: "SET check_function_bodies = false",
        summary:
          "check routine bodies when they run, not when they are created (they may name tables created later)",
        action: "alter",
        object: {
          key: "settings:check_function_bodies",
          objectType: "schema",
          name: "check_function_bodies",
          props: {},
        },
      }),
    );
    const last = steps[steps.length - 1] as Step;
    last.objects = [];
  }
  return {
    statements: orderSteps(steps).map(
      ({ phase: _phase, key: _key, after: _after, ...statement }) => statement,
    ),
    refusals: [],
  };
}

/**
 * The model names objects `schema.name` without quotes, so a schema whose name holds a dot
 * cannot be told from its objects' names: objects to plan in one are refused, not guessed.
 */
function refuseAmbiguousSchemas(context: PlanContext): void {
  const dotted = [...Object.values(context.from), ...Object.values(context.to)].filter(
    (object) => object.objectType === "schema" && object.name.includes("."),
  );
  if (dotted.length === 0) return;
  for (const key of [...context.creating, ...context.dropping, ...context.altering.keys()]) {
    const object = context.from[key] ?? context.to[key];
    const schema = dotted.find(
      (candidate) =>
        object && (object.name === candidate.name || object.name.startsWith(`${candidate.name}.`)),
    );
    if (object && schema)
      context.refuse(
        object,
        `schema ${schema.name} has a dot in its name, which parity's model cannot tell apart from its objects' names`,
      );
  }
}

function rank(object: SchemaObject): number {
  const index = KIND_ORDER.indexOf(object.objectType);
  return index === -1 ? KIND_ORDER.length : index;
}

function rankKey(key: string): number {
  const index = KIND_ORDER.indexOf(key.slice(0, key.indexOf(":")));
  return index === -1 ? KIND_ORDER.length : index;
}

function childIndex(objects: Record<string, SchemaObject>): Map<string, SchemaObject[]> {
  const index = new Map<string, SchemaObject[]>();
  for (const key in objects) {
    const object = objects[key] as SchemaObject;
    if (!object.parent) continue;
    const list = index.get(object.parent) ?? [];
    list.push(object);
    index.set(object.parent, list);
  }
  return index;
}
