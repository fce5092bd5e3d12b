// Kinds the audit compares but the planner has no DDL for yet: any difference in them is a
// refusal naming the object, never a silent gap in the plan (STYLE.md: "a difference the differ
// reports and the planner cannot plan is a refusal").
import type { SchemaObject } from "../../schema/model.ts";
import type { KindPlanner, PlanContext } from "../context.ts";

/** How every such refusal begins, so a reader (or a test) can tell it from a refusal on safety grounds. */
export const NOT_PLANNED = "parity plan does not generate DDL for";

export function notPlanned(kind: string): KindPlanner {
  const reason = `${NOT_PLANNED} ${kind} yet: make this change by hand`;
  return {
    create(object, context) {
      context.refuse(object, reason);
    },
    drop(object, context) {
      context.refuse(object, reason);
    },
    alter(_before, after, _changed, context) {
      context.refuse(after, reason);
    },
  };
}

/** A property the audit compares, with the value(s) that need no statement of their own. */
export type UnplannedProps = Readonly<Record<string, (value: unknown, object: SchemaObject) => boolean>>;

/**
 * Refuses an object whose properties the planner has no DDL for: on create when such a property
 * is not at its default, on alter when one changed. The plan then never leaves them as drift.
 */
export function refuseUnplanned(
  object: SchemaObject,
  props: UnplannedProps,
  context: PlanContext,
  changed?: readonly string[],
): boolean {
  const names = Object.entries(props)
    .filter(([prop, isDefault]) =>
      changed ? changed.includes(prop) : !isDefault(object.props[prop], object),
    )
    .map(([prop]) => prop);
  if (names.length === 0) return false;
  context.refuse(
    object,
    `parity plan does not generate DDL for ${names.join(", ")} yet: make this change by hand`,
  );
  return true;
}
