// Views and materialized views: always dropped and created again, never CREATE OR REPLACE, which
// cannot drop or retype columns. Views are dropped before what they read and created after it;
// a materialized view is filled by its CREATE (WITH DATA), running its query once.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, list, text } from "../context.ts";
import { qualified } from "../names.ts";
import { BLOCKS_ALL, lockOn, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";
import { refuseUnplanned, type UnplannedProps } from "./not-planned.ts";

// A materialized view's storage is compared by the audit; USING / TABLESPACE is not planned yet.
const UNPLANNED: UnplannedProps = {
  accessMethod: (value) => value === undefined || value === null,
  tablespace: (value) => value === undefined || value === null,
};

const VIEW_KINDS = new Set(["view", "materialized-view"]);

function keyword(object: SchemaObject): string {
  return object.objectType === "materialized-view" ? "MATERIALIZED VIEW" : "VIEW";
}

function viewsIn(keys: readonly string[], set: ReadonlySet<string>): string[] {
  return keys.filter((key) => set.has(key) && VIEW_KINDS.has(key.slice(0, key.indexOf(":"))));
}

export const viewPlanner: KindPlanner = {
  create(view, context) {
    if (refuseUnplanned(view, UNPLANNED, context)) return;
    const options = list(view, "options");
    const materialized = view.objectType === "materialized-view";
    const definition = text(view, "definition");
    if (definition === null) {
      context.refuse(view, "the model holds no definition for it");
      return;
    }
    context.emit(
      makeStep({
        phase: PHASE.createView,
        sql: `CREATE ${keyword(view)} ${qualified(view.name)}${options.length ? ` WITH (${options.join(", ")})` : ""} AS\n${definition}${materialized ? "\nWITH DATA" : ""}`,
        summary: `create ${view.objectType} ${view.name}`,
        action: "create",
        object: view,
        after: viewsIn(view.dependsOn ?? [], context.creating),
        hazards: materialized
          ? [
              {
                kind: "lock",
                detail: `the query of ${view.name} runs once to fill it, holding locks on what it reads`,
              },
            ]
          : [],
      }),
    );
    emitComment(view, `${keyword(view)} ${qualified(view.name)}`, context, true);
  },
  drop(view, context) {
    // Views built on this one go first.
    const dependents = Object.values(context.to)
      .filter(
        (other) =>
          VIEW_KINDS.has(other.objectType) &&
          context.dropping.has(other.key) &&
          other.dependsOn?.includes(view.key),
      )
      .map((other) => other.key);
    context.emit(
      makeStep({
        phase: PHASE.dropView,
        sql: `DROP ${keyword(view)} IF EXISTS ${qualified(view.name)}`,
        summary: `drop ${view.objectType} ${view.name}`,
        action: "drop",
        object: view,
        after: dependents,
        hazards: [lockOn("ACCESS EXCLUSIVE", view.name, BLOCKS_ALL)],
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.some((prop) => prop !== "comment");
  },
  alter(_before, after, changed, context) {
    if (changed.includes("comment"))
      emitComment(after, `${keyword(after)} ${qualified(after.name)}`, context, false);
  },
};
