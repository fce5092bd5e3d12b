// CREATE / ALTER / DROP SEQUENCE. Ownership (OWNED BY) is set once the owning column exists.
// The model has no current value: a created sequence starts at its START.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { qualified } from "../names.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

const CLAUSES: Record<string, (value: string) => string> = {
  type: (value) => `AS ${value}`,
  increment: (value) => `INCREMENT BY ${value}`,
  min: (value) => `MINVALUE ${value}`,
  max: (value) => `MAXVALUE ${value}`,
  start: (value) => `START WITH ${value}`,
  cache: (value) => `CACHE ${value}`,
};

function clauses(object: SchemaObject, props: readonly string[]): string[] {
  const result: string[] = [];
  for (const prop of props) {
    const clause = CLAUSES[prop];
    const value = text(object, prop);
    if (clause && value !== null) result.push(clause(value));
    if (prop === "cycle") result.push(object.props.cycle ? "CYCLE" : "NO CYCLE");
  }
  return result;
}

function emitOwner(object: SchemaObject, context: PlanContext): void {
  const owner = text(object, "ownedBy");
  const at = owner === null ? "NONE" : qualifiedColumn(owner, context);
  context.emit(
    makeStep({
      phase: PHASE.ownSequence,
      sql: `ALTER SEQUENCE ${qualified(object.name)} OWNED BY ${at}`,
      summary: owner
        ? `sequence ${object.name} belongs to column ${owner}`
        : `sequence ${object.name} belongs to no column`,
      action: "alter",
      object,
    }),
  );
}

/** `public.t.id` → `"public"."t"."id"`, finding the table in the model (names may hold dots). */
function qualifiedColumn(column: string, context: PlanContext): string {
  const object = context.from[`column:${column}`];
  const table = object?.parent
    ? object.parent.slice(object.parent.indexOf(":") + 1)
    : column.slice(0, column.lastIndexOf("."));
  return `${qualified(table)}."${column.slice(table.length + 1).replaceAll('"', '""')}"`;
}

export const sequencePlanner: KindPlanner = {
  create(object, context) {
    const props = ["type", "increment", "min", "max", "start", "cache", "cycle"];
    context.emit(
      makeStep({
        phase: PHASE.createSequence,
        sql: `CREATE SEQUENCE IF NOT EXISTS ${qualified(object.name)} ${clauses(object, props).join(" ")}`,
        summary: `create sequence ${object.name}`,
        action: "create",
        object,
      }),
    );
    if (text(object, "ownedBy") !== null) emitOwner(object, context);
    emitComment(object, `SEQUENCE ${qualified(object.name)}`, context, true);
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropSequence, PHASE.dropLateSequence, object.key, context.creating),
        sql: `DROP SEQUENCE IF EXISTS ${qualified(object.name)}`,
        summary: `drop sequence ${object.name}`,
        action: "drop",
        object,
        hazards: [{ kind: "data-loss", detail: `the current value of sequence ${object.name} is lost` }],
      }),
    );
  },
  alter(_before, after, changed, context) {
    const set = clauses(after, changed);
    if (set.length > 0) {
      context.emit(
        makeStep({
          phase: PHASE.createSequence,
          sql: `ALTER SEQUENCE ${qualified(after.name)} ${set.join(" ")}`,
          summary: `change ${changed.filter((prop) => prop in CLAUSES || prop === "cycle").join(", ")} of sequence ${after.name}`,
          action: "alter",
          object: after,
        }),
      );
    }
    if (changed.includes("ownedBy")) emitOwner(after, context);
    if (changed.includes("comment")) emitComment(after, `SEQUENCE ${qualified(after.name)}`, context, false);
  },
};
