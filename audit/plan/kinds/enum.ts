// Enums: labels added in place (ALTER TYPE … ADD VALUE) when the old labels keep their order;
// otherwise the type is rebuilt under its columns: renamed aside, created anew, each column
// converted through text, the old type dropped (rows holding a removed label make that fail).
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, list, type PlanContext, text } from "../context.ts";
import { literal, parentName, qualified } from "../names.ts";
import { BLOCKS_ALL, dropPhase, lockOn, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

const OLD_SUFFIX = "__parity_old";

function createSql(object: SchemaObject): string {
  return `CREATE TYPE ${qualified(object.name)} AS ENUM (${list(object, "labels").map(literal).join(", ")})`;
}

/** True when `before`'s labels appear in `after` in the same order (only additions). */
function onlyAdded(before: readonly string[], after: readonly string[]): boolean {
  let at = 0;
  for (const label of after) if (label === before[at]) at += 1;
  return at === before.length;
}

/**
 * ALTER TYPE … ADD VALUE runs in a transaction block from PostgreSQL 12 (release notes: "Allow
 * ALTER TYPE … ADD VALUE to be run inside a transaction block"; the relaxed rule of commit
 * 15bc038f was reverted before 10 and landed in 12), but the ALTER TYPE reference says the new
 * value "cannot be used until after the transaction has been committed". So: is it used later on?
 */
function labelUsedInPlan(added: string[], context: PlanContext): boolean {
  const quoted = added.map((label) => `${literal(label)}::`);
  for (const key of [...context.creating, ...context.altering.keys()]) {
    const object = context.from[key];
    if (!object) continue;
    for (const value of Object.values(object.props)) {
      if (typeof value === "string" && quoted.some((label) => value.includes(label))) return true;
      if (Array.isArray(value) && value.some((item) => quoted.some((label) => item.includes(label))))
        return true;
    }
  }
  return false;
}

function addValues(before: SchemaObject, after: SchemaObject, context: PlanContext): void {
  const old = list(before, "labels");
  const labels = list(after, "labels");
  for (const [index, label] of labels.entries()) {
    if (old.includes(label)) continue;
    const next = labels.slice(index + 1).find((other) => old.includes(other));
    const position =
      next !== undefined
        ? ` BEFORE ${literal(next)}`
        : index > 0
          ? ` AFTER ${literal(labels[index - 1] as string)}`
          : "";
    const transactional = context.targetMajor >= 12;
    context.emit(
      makeStep({
        phase: PHASE.enum,
        sql: `ALTER TYPE ${qualified(after.name)} ADD VALUE IF NOT EXISTS ${literal(label)}${position}`,
        summary: `add label ${label} to enum ${after.name}`,
        action: "alter",
        object: after,
        transactional,
        hazards: transactional
          ? []
          : [
              {
                kind: "non-transactional",
                detail: `before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run in a transaction block`,
              },
            ],
      }),
    );
  }
}

/** Columns of `to` typed with the enum (or an array of it). */
function columnsOf(before: SchemaObject, context: PlanContext): SchemaObject[] {
  return Object.values(context.to).filter(
    (object) =>
      object.objectType === "column" &&
      object.dependsOn?.includes(before.key) &&
      !context.dropping.has(object.key),
  );
}

function rebuild(before: SchemaObject, after: SchemaObject, context: PlanContext): void {
  const name = qualified(after.name);
  const ownName = after.name.slice(after.name.indexOf(".") + 1);
  const oldName = `${ownName}${OLD_SUFFIX}`;
  const removed = list(before, "labels").filter((label) => !list(after, "labels").includes(label));
  context.emit(
    makeStep({
      phase: PHASE.enum,
      sql: `ALTER TYPE ${name} RENAME TO "${oldName.replaceAll('"', '""')}"`,
      summary: `set enum ${after.name} aside to rebuild it with labels in a new order${removed.length ? ` and without ${removed.join(", ")}` : ""}`,
      action: "alter",
      object: after,
    }),
  );
  context.emit(
    makeStep({
      phase: PHASE.enum,
      sql: createSql(after),
      summary: `create enum ${after.name} anew`,
      action: "create",
      object: after,
    }),
  );
  for (const column of columnsOf(before, context)) {
    const table = parentName(column);
    const own = column.name.slice(table.length + 1).replaceAll('"', '""');
    const alter = `ALTER TABLE ${qualified(table)} ALTER COLUMN "${own}"`;
    const target = context.from[column.key] ?? column;
    const type = text(target, "type") ?? after.name;
    const viaText = type.endsWith("[]") ? "text[]" : "text";
    context.retyped.add(column.key);
    if (text(column, "default") !== null) {
      context.emit(
        makeStep({
          phase: PHASE.dropDefault,
          sql: `${alter} DROP DEFAULT`,
          summary: `drop the default of ${column.name} while enum ${after.name} is rebuilt`,
          action: "alter",
          object: column,
        }),
      );
    }
    context.emit(
      makeStep({
        phase: PHASE.retypeColumn,
        sql: `${alter} TYPE ${type} USING "${own}"::${viaText}::${type}`,
        summary: `convert column ${column.name} to the rebuilt enum ${after.name}`,
        action: "alter",
        object: column,
        hazards: [
          { kind: "rewrite", detail: `table ${table} is rewritten to convert ${column.name}` },
          lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL),
          ...(removed.length
            ? [
                {
                  kind: "data-loss" as const,
                  detail: `rows of ${table} holding ${removed.join(", ")} make the conversion fail`,
                },
              ]
            : []),
        ],
      }),
    );
    const wanted = text(target, "default");
    if (wanted !== null) {
      context.emit(
        makeStep({
          phase: PHASE.retypeColumn,
          sql: `${alter} SET DEFAULT ${wanted}`,
          summary: `restore the default of ${column.name}`,
          action: "alter",
          object: column,
        }),
      );
    }
  }
  context.emit(
    makeStep({
      phase: PHASE.dropOldType,
      sql: `DROP TYPE ${qualified(`${after.name.slice(0, after.name.indexOf("."))}.${oldName}`)}`,
      summary: `drop the old enum ${after.name}`,
      action: "drop",
      object: after,
    }),
  );
}

export const enumPlanner: KindPlanner = {
  create(object, context) {
    context.emit(
      makeStep({
        phase: PHASE.enum,
        sql: createSql(object),
        summary: `create enum ${object.name}`,
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
        summary: `drop enum ${object.name}`,
        action: "drop",
        object,
      }),
    );
  },
  alter(before, after, changed, context) {
    if (changed.includes("labels")) {
      const old = list(before, "labels");
      const labels = list(after, "labels");
      const added = labels.filter((label) => !old.includes(label));
      if (onlyAdded(old, labels) && !labelUsedInPlan(added, context)) addValues(before, after, context);
      else {
        const routines = Object.values(context.to).filter(
          (object) =>
            (object.objectType === "function" ||
              object.objectType === "procedure" ||
              object.objectType === "domain") &&
            !context.dropping.has(object.key) &&
            [text(object, "arguments"), text(object, "result"), text(object, "baseType")].some((value) =>
              value?.includes(after.name),
            ),
        );
        if (routines.length > 0) {
          context.refuse(
            after,
            `enum labels removed or reordered while ${routines.map((object) => `${object.objectType} ${object.name}`).join(", ")} use the type: rebuilding it would leave them on the old type`,
          );
          return;
        }
        rebuild(before, after, context);
      }
    }
    if (changed.includes("comment")) emitComment(after, `TYPE ${qualified(after.name)}`, context, false);
  },
};
