// CREATE / ALTER / DROP DOMAIN: default, NOT NULL and named CHECKs change in place; a new base
// type cannot, and a domain in use is then refused.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, list, text } from "../context.ts";
import { qualified } from "../names.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

/** A check as the model keeps it: `"name" CHECK (…)` → its quoted name and its definition. */
function splitCheck(check: string): { name: string; definition: string } {
  const match = /^("(?:[^"]|"")*"|\S+) (.*)$/s.exec(check);
  return { name: match?.[1] ?? check, definition: match?.[2] ?? "" };
}

function alterSql(object: SchemaObject, clause: string): string {
  return `ALTER DOMAIN ${qualified(object.name)} ${clause}`;
}

export const domainPlanner: KindPlanner = {
  create(object, context) {
    const parts = [`CREATE DOMAIN ${qualified(object.name)} AS ${text(object, "baseType")}`];
    const fallback = text(object, "default");
    if (fallback !== null) parts.push(`DEFAULT ${fallback}`);
    if (object.props.notNull) parts.push("NOT NULL");
    for (const check of list(object, "checks")) {
      const { name, definition } = splitCheck(check);
      parts.push(`CONSTRAINT ${name} ${definition}`);
    }
    context.emit(
      makeStep({
        phase: PHASE.createType,
        sql: parts.join(" "),
        summary: `create domain ${object.name}`,
        action: "create",
        object,
      }),
    );
    emitComment(object, `DOMAIN ${qualified(object.name)}`, context, true);
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropType, PHASE.dropLateType, object.key, context.creating),
        sql: `DROP DOMAIN IF EXISTS ${qualified(object.name)}`,
        summary: `drop domain ${object.name}`,
        action: "drop",
        object,
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.includes("baseType");
  },
  alsoRecreates(object, context) {
    const users = Object.values(context.to).filter(
      (other) => other.dependsOn?.includes(object.key) && !context.dropping.has(other.key),
    );
    if (users.length > 0) {
      context.refuse(
        object,
        `base type changed while ${users.map((user) => `${user.objectType} ${user.name}`).join(", ")} use the domain`,
      );
    }
    return [];
  },
  alter(before, after, changed, context) {
    const step = (sql: string, summary: string) =>
      context.emit(
        makeStep({
          phase: PHASE.createType,
          sql,
          summary,
          action: "alter",
          object: after,
          hazards:
            sql.includes("ADD CONSTRAINT") || sql.includes("SET NOT NULL")
              ? [
                  {
                    kind: "lock",
                    detail: `every column of domain ${after.name} is checked; the tables using it are locked meanwhile`,
                  },
                ]
              : [],
        }),
      );
    if (changed.includes("default")) {
      const fallback = text(after, "default");
      step(
        alterSql(after, fallback === null ? "DROP DEFAULT" : `SET DEFAULT ${fallback}`),
        `change the default of domain ${after.name}`,
      );
    }
    if (changed.includes("notNull")) {
      step(
        alterSql(after, after.props.notNull ? "SET NOT NULL" : "DROP NOT NULL"),
        `change NOT NULL of domain ${after.name}`,
      );
    }
    if (changed.includes("checks")) {
      const old = list(before, "checks");
      const wanted = list(after, "checks");
      for (const check of old.filter((item) => !wanted.includes(item))) {
        step(
          alterSql(after, `DROP CONSTRAINT IF EXISTS ${splitCheck(check).name}`),
          `drop check ${splitCheck(check).name} of domain ${after.name}`,
        );
      }
      for (const check of wanted.filter((item) => !old.includes(item))) {
        const { name, definition } = splitCheck(check);
        step(
          alterSql(after, `ADD CONSTRAINT ${name} ${definition}`),
          `add check ${name} to domain ${after.name}`,
        );
      }
    }
    if (changed.includes("comment")) emitComment(after, `DOMAIN ${qualified(after.name)}`, context, false);
  },
};
