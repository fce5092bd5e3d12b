// COMMENT ON, shared by every kind that has a `comment` property.
import type { SchemaObject } from "../../schema/model.ts";
import type { PlanContext } from "../context.ts";
import { literal } from "../names.ts";
import { makeStep, PHASE } from "../step.ts";

/** `on` is what follows COMMENT ON: `TABLE "public"."t"`, `COLUMN "public"."t"."c"`, … */
export function emitComment(object: SchemaObject, on: string, context: PlanContext, creating: boolean): void {
  const comment = object.props.comment;
  if (creating && (comment === null || comment === undefined)) return;
  const value = typeof comment === "string" ? literal(comment) : "NULL";
  context.emit(
    makeStep({
      phase: PHASE.comment,
      sql: `COMMENT ON ${on} IS ${value}`,
      summary: `${comment === null ? "remove the comment on" : "comment on"} ${object.objectType} ${object.name}`,
      action: "alter",
      object,
    }),
  );
}
