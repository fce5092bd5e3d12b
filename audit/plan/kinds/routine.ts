// Functions and procedures. pg_get_functiondef's text is a complete CREATE OR REPLACE statement,
// so a changed body or attribute is replaced in place; a changed result type or argument list
// cannot be, and the routine is dropped and created again (with the triggers that call it).
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { routineSignature } from "../names.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

function keyword(object: SchemaObject): string {
  return object.objectType === "procedure" ? "PROCEDURE" : "FUNCTION";
}

function emitDefinition(object: SchemaObject, context: PlanContext, action: "create" | "alter"): void {
  const definition = text(object, "definition");
  if (definition === null) {
    context.refuse(object, "the model holds no definition for it");
    return;
  }
  context.emit(
    makeStep({
      phase: PHASE.createRoutine,
      sql: definition,
      summary: `${action === "create" ? "create" : "replace"} ${object.objectType} ${object.name}`,
      action,
      object,
    }),
  );
}

export const routinePlanner: KindPlanner = {
  create(object, context) {
    emitDefinition(object, context, "create");
    emitComment(object, `${keyword(object)} ${routineSignature(object.name)}`, context, true);
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropRoutine, PHASE.dropLateRoutine, object.key, context.creating),
        sql: `DROP ${keyword(object)} IF EXISTS ${routineSignature(object.name)}`,
        summary: `drop ${object.objectType} ${object.name}`,
        action: "drop",
        object,
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.some((prop) => prop === "result" || prop === "arguments" || prop === "kind");
  },
  alsoRecreates(object, context) {
    // Triggers name the function they execute; the model has no dependency for it.
    const call = `${object.name.slice(0, object.name.indexOf("("))}(`;
    return Object.values(context.from)
      .filter(
        (other) =>
          other.objectType === "trigger" &&
          context.to[other.key] &&
          text(other, "definition")?.includes(call),
      )
      .map((other) => other.key);
  },
  alter(_before, after, changed, context) {
    if (changed.some((prop) => prop !== "comment")) emitDefinition(after, context, "alter");
    if (changed.includes("comment"))
      emitComment(after, `${keyword(after)} ${routineSignature(after.name)}`, context, false);
  },
};
