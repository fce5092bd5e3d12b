// CREATE / DROP SCHEMA. What a dropped schema holds is dropped object by object before it, so
// no CASCADE ever removes something the plan does not name.
import { quoteIdent } from "../../core/sql.ts";
import type { KindPlanner } from "../context.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

export const schemaPlanner: KindPlanner = {
  create(object, context) {
    context.emit(
      makeStep({
        phase: PHASE.createSchema,
        sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(object.name)}`,
        summary: `create schema ${object.name}`,
        action: "create",
        object,
      }),
    );
    emitComment(object, `SCHEMA ${quoteIdent(object.name)}`, context, true);
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropSchema, PHASE.dropLateSchema, object.key, context.creating),
        sql: `DROP SCHEMA IF EXISTS ${quoteIdent(object.name)}`,
        summary: `drop schema ${object.name} (its objects are dropped by earlier statements)`,
        action: "drop",
        object,
      }),
    );
  },
  alter(_before, after, changed, context) {
    if (changed.includes("comment")) emitComment(after, `SCHEMA ${quoteIdent(after.name)}`, context, false);
  },
};
