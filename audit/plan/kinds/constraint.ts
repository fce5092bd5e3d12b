// ALTER TABLE … ADD / DROP / VALIDATE CONSTRAINT. pg_get_constraintdef's text carries
// deferrability and NOT VALID, so a constraint is added exactly as --from has it. Foreign keys
// are added last and dropped first; a recreated primary key or unique constraint takes the
// foreign keys that reference its table with it.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { parentName, qualified } from "../names.ts";
import type { Hazard } from "../plan-file.ts";
import { BLOCKS_ALL, lockOn, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";
import { backingConstraint, indexPlanner } from "./index.ts";
import { inheritedCopy } from "./inheritance.ts";

function own(constraint: SchemaObject): string {
  return `"${constraint.name.slice(parentName(constraint).length + 1).replaceAll('"', '""')}"`;
}

/** The key of the index a PRIMARY KEY or UNIQUE constraint of this name would have. */
function indexKey(constraint: SchemaObject): string {
  const schema = constraint.name.slice(0, constraint.name.indexOf("."));
  return `index:${schema}.${constraint.name.slice(parentName(constraint).length + 1)}`;
}

function referenced(constraint: SchemaObject): string | undefined {
  return /REFERENCES (\S+?)\(/.exec(text(constraint, "definition") ?? "")?.[1];
}

function addHazards(constraint: SchemaObject, table: string): Hazard[] {
  const type = text(constraint, "type");
  const validated = !(text(constraint, "definition") ?? "").includes("NOT VALID");
  if (type === "foreign key") {
    const other = referenced(constraint) ?? "the referenced table";
    return [
      lockOn("SHARE ROW EXCLUSIVE", table, "blocks writes until the transaction ends"),
      lockOn("SHARE ROW EXCLUSIVE", other.replaceAll('"', ""), "blocks writes until the transaction ends"),
      ...(validated
        ? [
            {
              kind: "lock" as const,
              detail: `every row of ${table} is checked against ${other} while both are locked (add it NOT VALID, then VALIDATE)`,
            },
          ]
        : []),
    ];
  }
  if (type === "primary key" || type === "unique" || type === "exclusion") {
    return [lockOn("ACCESS EXCLUSIVE", table, `${BLOCKS_ALL}, while its index is built`)];
  }
  return [lockOn("ACCESS EXCLUSIVE", table, validated ? `${BLOCKS_ALL}; every row is checked` : BLOCKS_ALL)];
}

function skipped(constraint: SchemaObject, context: PlanContext, side: "from" | "to"): boolean {
  // A constraint trigger is created and dropped by its trigger (trigger.ts).
  if (text(constraint, "type") === "constraint trigger") return true;
  const model = side === "from" ? context.from : context.to;
  const copyOf = inheritedCopy(constraint, model);
  if (!copyOf) return false;
  return side === "from" ? context.creating.has(constraint.parent ?? "") : context.dropping.has(copyOf.key);
}

export const constraintPlanner: KindPlanner = {
  create(constraint, context) {
    if (skipped(constraint, context, "from")) return;
    const table = parentName(constraint);
    const type = text(constraint, "type");
    const foreign = type === "foreign key";
    // A plain unique index of the same name already there becomes the constraint's index.
    const index = context.to[indexKey(constraint)];
    const adopt =
      (type === "primary key" || type === "unique") &&
      index !== undefined &&
      !backingConstraint(index, context.to) &&
      !context.dropping.has(index.key);
    const deferral = (text(constraint, "definition") ?? "").match(/ (NOT )?DEFERRABLE.*$/)?.[0] ?? "";
    context.emit(
      makeStep({
        phase: foreign ? PHASE.createForeignKey : PHASE.createConstraint,
        sql: adopt
          ? `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${own(constraint)} ${type === "unique" ? "UNIQUE" : "PRIMARY KEY"} USING INDEX ${own(constraint)}${deferral}`
          : `ALTER TABLE ${qualified(table)} ADD CONSTRAINT ${own(constraint)} ${text(constraint, "definition")}`,
        summary: `add ${text(constraint, "type")} constraint ${constraint.name}`,
        action: "create",
        object: constraint,
        hazards: addHazards(constraint, table),
      }),
    );
    emitComment(constraint, `CONSTRAINT ${own(constraint)} ON ${qualified(table)}`, context, true);
  },
  drop(constraint, context) {
    if (skipped(constraint, context, "to")) return;
    const table = parentName(constraint);
    // Its index stays in --from as a plain index: made again once the constraint is gone.
    const index = context.from[indexKey(constraint)];
    if (index && !backingConstraint(index, context.from) && !context.creating.has(index.key))
      indexPlanner.create(index, context);
    context.emit(
      makeStep({
        phase: text(constraint, "type") === "foreign key" ? PHASE.dropForeignKey : PHASE.dropConstraint,
        sql: `ALTER TABLE ${qualified(table)} DROP CONSTRAINT IF EXISTS ${own(constraint)}`,
        summary: `drop ${text(constraint, "type")} constraint ${constraint.name}`,
        action: "drop",
        object: constraint,
        hazards: [lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL)],
      }),
    );
  },
  recreates(_before, after, changed) {
    // NOT VALID again: only by adding it anew as NOT VALID.
    if (changed.includes("validated") && after.props.validated === false) return true;
    return changed.some((prop) => prop !== "comment" && prop !== "validated");
  },
  alsoRecreates(constraint, context) {
    const type = text(constraint, "type");
    if (type !== "primary key" && type !== "unique") return [];
    const table = parentName(constraint);
    return Object.values(context.from)
      .filter(
        (other) =>
          text(other, "type") === "foreign key" &&
          context.to[other.key] &&
          referenced(other)?.replaceAll('"', "") === table,
      )
      .map((other) => other.key);
  },
  alter(_before, after, changed, context) {
    const table = parentName(after);
    if (changed.includes("validated") && after.props.validated === true) {
      context.emit(
        makeStep({
          phase: PHASE.createForeignKey,
          sql: `ALTER TABLE ${qualified(table)} VALIDATE CONSTRAINT ${own(after)}`,
          summary: `validate constraint ${after.name}`,
          action: "alter",
          object: after,
          hazards: [
            lockOn(
              "SHARE UPDATE EXCLUSIVE",
              table,
              "blocks other schema changes and VACUUM, not reads or writes; every row is checked",
            ),
          ],
        }),
      );
    }
    if (changed.includes("comment"))
      emitComment(after, `CONSTRAINT ${own(after)} ON ${qualified(table)}`, context, false);
  },
};
