// Composite and range types. A composite's attributes are column objects under it (column.ts
// alters them in place); a range's subtype cannot change, so a changed range in use is refused.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { qualified } from "../names.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";
import { columnDefinition } from "./column.ts";
import { emitComment } from "./comment.ts";

function createSql(object: SchemaObject, context: PlanContext): string {
  if (text(object, "kind") === "range") {
    return `CREATE TYPE ${qualified(object.name)} AS RANGE (subtype = ${text(object, "subtype")})`;
  }
  const attributes = context
    .childrenOf("from", object.key)
    .filter((child) => child.objectType === "column")
    .map((column) => columnDefinition(column, object.name, { attribute: true }));
  return `CREATE TYPE ${qualified(object.name)} AS (${attributes.join(", ")})`;
}

export const typePlanner: KindPlanner = {
  create(object, context) {
    context.emit(
      makeStep({
        phase: PHASE.createType,
        sql: createSql(object, context),
        summary: `create ${text(object, "kind")} type ${object.name}`,
        action: "create",
        object,
      }),
    );
    emitComment(object, `TYPE ${qualified(object.name)}`, context, true);
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropType, PHASE.dropLateType, object.key, context.creating),
        sql: `DROP TYPE IF EXISTS ${qualified(object.name)}`,
        summary: `drop type ${object.name}`,
        action: "drop",
        object,
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.some((prop) => prop !== "comment");
  },
  alsoRecreates(object, context) {
    const users = Object.values(context.to).filter(
      (other) => other.dependsOn?.includes(object.key) && !context.dropping.has(other.key),
    );
    if (users.length > 0) {
      context.refuse(
        object,
        `type changed while ${users.map((user) => `${user.objectType} ${user.name}`).join(", ")} use it`,
      );
    }
    return [];
  },
  alter(_before, after, changed, context) {
    if (changed.includes("comment")) emitComment(after, `TYPE ${qualified(after.name)}`, context, false);
  },
};
