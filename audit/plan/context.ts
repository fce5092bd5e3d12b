// What every kind's planner sees while a plan is built: both models, what is being created,
// dropped and recreated, and where statements and refusals go.
import type { ObjectType, SchemaObject } from "../schema/model.ts";
import type { Refusal } from "./plan-file.ts";
import type { Step } from "./step.ts";

export interface PlanContext {
  /** The model the plan reproduces (`--from`). */
  readonly from: Readonly<Record<string, SchemaObject>>;
  /** The model the plan is applied to (`--to`). */
  readonly to: Readonly<Record<string, SchemaObject>>;
  /** Major version of the server the plan runs on. */
  readonly targetMajor: number;
  /** Major version of the server the plan reproduces. */
  readonly sourceMajor: number;
  /** Keys created from `from` (missing, or recreated). */
  readonly creating: ReadonlySet<string>;
  /** Keys dropped from `to` (extra, or recreated). */
  readonly dropping: ReadonlySet<string>;
  /** Keys of objects altered in place, with the properties that change. */
  readonly altering: ReadonlyMap<string, readonly string[]>;
  /** Columns whose type another kind's plan already changes (an enum rebuilt under them). */
  readonly retyped: Set<string>;
  childrenOf(side: "from" | "to", key: string): SchemaObject[];
  emit(step: Step): void;
  refuse(object: SchemaObject, reason: string): void;
}

/** One object kind's DDL. `before` is the object in `--to`, `after` the same object in `--from`. */
export interface KindPlanner {
  create(object: SchemaObject, context: PlanContext): void;
  drop(object: SchemaObject, context: PlanContext): void;
  alter(before: SchemaObject, after: SchemaObject, changed: readonly string[], context: PlanContext): void;
  /** True when the change cannot be made in place and the object is dropped and created again. */
  recreates?(
    before: SchemaObject,
    after: SchemaObject,
    changed: readonly string[],
    context: PlanContext,
  ): boolean;
  /** More objects (keys in both models) that must be recreated along with this one. */
  alsoRecreates?(object: SchemaObject, context: PlanContext): string[];
}

export type Planners = Record<ObjectType, KindPlanner>;

export function refusal(object: SchemaObject, reason: string): Refusal {
  return { objectType: object.objectType, name: object.name, reason };
}

export function text(object: SchemaObject, prop: string): string | null {
  const value = object.props[prop];
  return typeof value === "string" ? value : null;
}

export function list(object: SchemaObject, prop: string): readonly string[] {
  const value = object.props[prop];
  return Array.isArray(value) ? value : [];
}
