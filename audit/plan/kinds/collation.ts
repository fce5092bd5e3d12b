// CREATE / DROP COLLATION. A changed collation can only be dropped and made again, which
// PostgreSQL refuses while a column uses it: then the plan refuses too.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { literal, qualified } from "../names.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

function usedBy(object: SchemaObject, context: PlanContext): SchemaObject[] {
  return Object.values(context.to).filter(
    (other) => other.dependsOn?.includes(object.key) && !context.dropping.has(other.key),
  );
}

export const collationPlanner: KindPlanner = {
  create(object, context) {
    const options =
      text(object, "provider") === "icu"
        ? [`provider = icu`, `locale = ${literal(text(object, "locale") ?? "")}`]
        : [
            `provider = libc`,
            `lc_collate = ${literal(text(object, "collate") ?? "")}`,
            `lc_ctype = ${literal(text(object, "ctype") ?? "")}`,
          ];
    if (object.props.deterministic === false) options.push("deterministic = false");
    context.emit(
      makeStep({
        phase: PHASE.createCollation,
        sql: `CREATE COLLATION IF NOT EXISTS ${qualified(object.name)} (${options.join(", ")})`,
        summary: `create collation ${object.name}`,
        action: "create",
        object,
      }),
    );
    emitComment(object, `COLLATION ${qualified(object.name)}`, context, true);
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropCollation, PHASE.dropLateCollation, object.key, context.creating),
        sql: `DROP COLLATION IF EXISTS ${qualified(object.name)}`,
        summary: `drop collation ${object.name}`,
        action: "drop",
        object,
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.some((prop) => prop !== "comment");
  },
  alsoRecreates(object, context) {
    const users = usedBy(object, context);
    if (users.length > 0) {
      context.refuse(
        object,
        `collation changed while ${users.map((user) => `${user.objectType} ${user.name}`).join(", ")} use it: PostgreSQL cannot alter a collation, and dropping it would mean rebuilding every column that uses it`,
      );
    }
    return [];
  },
  alter(_before, after, changed, context) {
    if (changed.includes("comment")) emitComment(after, `COLLATION ${qualified(after.name)}`, context, false);
  },
};
