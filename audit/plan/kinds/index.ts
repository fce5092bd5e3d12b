// CREATE / DROP INDEX. Indexes behind PRIMARY KEY, UNIQUE and EXCLUDE constraints belong to the
// constraint (constraint.ts). Plans run in a transaction, so indexes are built without
// CONCURRENTLY and hold a SHARE lock on their table while they are built: `parity lint` judges
// how long that is on the target.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { qualified } from "../names.ts";
import { BLOCKS_ALL, BLOCKS_WRITES, lockOn, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";
import { inheritedCopy } from "./inheritance.ts";
import { refuseUnplanned, type UnplannedProps } from "./not-planned.ts";

// The tablespace is compared by the audit; TABLESPACE / ALTER INDEX … SET TABLESPACE is not planned yet.
const UNPLANNED: UnplannedProps = { tablespace: (value) => value === undefined || value === null };

export function backingConstraint(
  index: SchemaObject,
  model: Readonly<Record<string, SchemaObject>>,
): SchemaObject | undefined {
  const table = text(index, "table") ?? "";
  const constraint = model[`constraint:${table}.${index.name.slice(index.name.indexOf(".") + 1)}`];
  const type = constraint ? text(constraint, "type") : null;
  return type === "primary key" || type === "unique" || type === "exclusion" ? constraint : undefined;
}

function createSql(index: SchemaObject): string {
  return (text(index, "definition") ?? "")
    .replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS ")
    .replace(/ ON ONLY /, " ON ");
}

/** An index PostgreSQL clones onto a partition the plan creates. */
function clonedWithPartition(index: SchemaObject, context: PlanContext): boolean {
  const table = context.from[`table:${text(index, "table")}`];
  return (
    table !== undefined && context.creating.has(table.key) && inheritedCopy(index, context.from) !== undefined
  );
}

export const indexPlanner: KindPlanner = {
  create(index, context) {
    // Before the constraint check: a constraint's USING INDEX TABLESPACE is not planned either.
    if (refuseUnplanned(index, UNPLANNED, context)) return;
    if (backingConstraint(index, context.from)) return;
    if (clonedWithPartition(index, context)) return;
    if (index.props.valid === false) {
      context.refuse(
        index,
        "the index is invalid in --from (a failed CREATE INDEX CONCURRENTLY); an invalid index cannot be planned",
      );
      return;
    }
    const table = text(index, "table") ?? "";
    context.emit(
      makeStep({
        // An index on a materialized view waits for the view.
        phase: index.parent?.startsWith("materialized-view:") ? PHASE.createViewIndex : PHASE.createIndex,
        sql: createSql(index),
        summary: `create index ${index.name} on ${table}`,
        action: "create",
        object: index,
        alsoChanges: [{ objectType: "table", name: table }],
        hazards: [lockOn("SHARE", table, `${BLOCKS_WRITES}, for as long as the index takes to build`)],
      }),
    );
    emitComment(index, `INDEX ${qualified(index.name)}`, context, true);
  },
  drop(index, context) {
    if (backingConstraint(index, context.to)) return;
    const copyOf = inheritedCopy(index, context.to);
    if (copyOf && context.dropping.has(copyOf.key)) return; // goes with the parent's index
    const table = text(index, "table") ?? "";
    context.emit(
      makeStep({
        phase: PHASE.dropIndex,
        sql: `DROP INDEX IF EXISTS ${qualified(index.name)}`,
        summary: `drop index ${index.name} on ${table}`,
        action: "drop",
        object: index,
        hazards: [lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL)],
      }),
    );
  },
  recreates(before, _after, changed, context) {
    return changed.includes("definition") && !backingConstraint(before, context.to);
  },
  alter(_before, after, changed, context) {
    if (refuseUnplanned(after, UNPLANNED, context, changed)) return;
    if (changed.includes("valid") && after.props.valid === false) {
      context.refuse(after, "the index is invalid in --from; an invalid index cannot be planned");
    } else if (changed.includes("valid")) {
      context.emit(
        makeStep({
          phase: PHASE.createIndex,
          sql: `REINDEX INDEX ${qualified(after.name)}`,
          summary: `rebuild the invalid index ${after.name}`,
          action: "alter",
          object: after,
          hazards: [lockOn("SHARE", text(after, "table") ?? "", BLOCKS_WRITES)],
        }),
      );
    }
    if (changed.includes("comment")) emitComment(after, `INDEX ${qualified(after.name)}`, context, false);
  },
};
