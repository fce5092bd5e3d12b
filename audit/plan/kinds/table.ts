// CREATE / ALTER / DROP TABLE, with its columns inline. Persistence, partition bounds,
// inheritance, storage options and row security change in place; a table whose kind or
// partition key changed would have to be rebuilt with its data, so that is refused.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, list, type PlanContext, text } from "../context.ts";
import { qualified } from "../names.ts";
import { BLOCKS_ALL, lockOn, makeStep, PHASE } from "../step.ts";
import { columnDefinition } from "./column.ts";
import { emitComment } from "./comment.ts";
import { NOT_PLANNED, refuseUnplanned, type UnplannedProps } from "./not-planned.ts";

const REBUILT = ["kind", "partitionKey"];

function parents(object: SchemaObject): string[] {
  const partitionOf = text(object, "partitionOf");
  return partitionOf ? [partitionOf] : [...list(object, "inherits")];
}

function createSql(object: SchemaObject, context: PlanContext): string {
  const name = qualified(object.name);
  const unlogged = text(object, "persistence") === "unlogged" ? "UNLOGGED " : "";
  const columns = context
    .childrenOf("from", object.key)
    .filter((child) => child.objectType === "column" && !child.props.inherited)
    .map((column) => columnDefinition(column, object.name));
  const partitionOf = text(object, "partitionOf");
  let sql = partitionOf
    ? `CREATE ${unlogged}TABLE IF NOT EXISTS ${name} PARTITION OF ${qualified(partitionOf)} ${text(object, "partitionBound") ?? "DEFAULT"}`
    : `CREATE ${unlogged}TABLE IF NOT EXISTS ${name} (${columns.length ? `\n  ${columns.join(",\n  ")}\n` : ""})`;
  const inherits = list(object, "inherits");
  if (!partitionOf && inherits.length > 0) sql += ` INHERITS (${inherits.map(qualified).join(", ")})`;
  const key = text(object, "partitionKey");
  if (key) sql += ` PARTITION BY ${key}`;
  const options = list(object, "options");
  if (options.length > 0) sql += ` WITH (${options.join(", ")})`;
  return sql;
}

function emitRowSecurity(object: SchemaObject, context: PlanContext, props: readonly string[]): void {
  const name = qualified(object.name);
  if (props.includes("rowSecurity")) {
    const on = object.props.rowSecurity === true;
    context.emit(
      makeStep({
        phase: PHASE.alterTable,
        sql: `ALTER TABLE ${name} ${on ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY`,
        summary: `${on ? "enable" : "disable"} row security on ${object.name}`,
        action: "alter",
        object,
      }),
    );
  }
  if (props.includes("forceRowSecurity")) {
    const on = object.props.forceRowSecurity === true;
    context.emit(
      makeStep({
        phase: PHASE.alterTable,
        sql: `ALTER TABLE ${name} ${on ? "FORCE" : "NO FORCE"} ROW LEVEL SECURITY`,
        summary: `${on ? "force" : "stop forcing"} row security on ${object.name}`,
        action: "alter",
        object,
      }),
    );
  }
}

// REPLICA IDENTITY is compared by the audit; its DDL is not planned yet.
const UNPLANNED: UnplannedProps = {
  replicaIdentity: (value) => value === undefined || value === "default",
  // A foreign table's server and options (only foreign tables have them).
  server: (value) => value === undefined,
  accessMethod: (value) => value === undefined || value === null,
  tablespace: (value) => value === undefined || value === null,
  foreignOptions: (value) => value === undefined,
};

export const tablePlanner: KindPlanner = {
  create(object, context) {
    if (refuseUnplanned(object, UNPLANNED, context)) return;
    if (text(object, "kind") === "foreign") {
      context.refuse(object, `${NOT_PLANNED} foreign tables yet: make this change by hand`);
      return;
    }
    context.emit(
      makeStep({
        phase: PHASE.createTable,
        sql: createSql(object, context),
        summary: `create table ${object.name}`,
        action: "create",
        object,
        after: parents(object).map((parent) => `table:${parent}`),
      }),
    );
    const securityProps = ["rowSecurity", "forceRowSecurity"].filter((prop) => object.props[prop] === true);
    emitRowSecurity(object, context, securityProps);
    emitComment(object, `TABLE ${qualified(object.name)}`, context, true);
  },
  drop(object, context) {
    // Partitions and inheriting children first: they are built on this table.
    const children = Object.values(context.to)
      .filter(
        (other) =>
          other.objectType === "table" &&
          context.dropping.has(other.key) &&
          parents(other).includes(object.name),
      )
      .map((other) => other.key);
    context.emit(
      makeStep({
        phase: PHASE.dropTable,
        sql: `DROP ${text(object, "kind") === "foreign" ? "FOREIGN TABLE" : "TABLE"} IF EXISTS ${qualified(object.name)}`,
        summary: `drop table ${object.name}`,
        action: "drop",
        object,
        after: children,
        hazards: [
          { kind: "data-loss", detail: `every row of ${object.name} is lost` },
          lockOn("ACCESS EXCLUSIVE", object.name, BLOCKS_ALL),
        ],
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.some((prop) => REBUILT.includes(prop));
  },
  alsoRecreates(object, context) {
    context.refuse(
      object,
      `${REBUILT.filter((prop) => object.props[prop] !== context.to[object.key]?.props[prop]).join(", ")} changed: the table would have to be rebuilt and its rows copied, which parity does not plan`,
    );
    return [];
  },
  alter(before, after, changed, context) {
    if (refuseUnplanned(after, UNPLANNED, context, changed)) return;
    const name = qualified(after.name);
    const step = (sql: string, summary: string, rewrite = false) =>
      context.emit(
        makeStep({
          phase: PHASE.alterTable,
          sql,
          summary,
          action: "alter",
          object: after,
          hazards: [
            lockOn("ACCESS EXCLUSIVE", after.name, BLOCKS_ALL),
            ...(rewrite ? [{ kind: "rewrite" as const, detail: `table ${after.name} is rewritten` }] : []),
          ],
        }),
      );
    if (changed.includes("persistence")) {
      const unlogged = text(after, "persistence") === "unlogged";
      step(
        `ALTER TABLE ${name} SET ${unlogged ? "UNLOGGED" : "LOGGED"}`,
        `make ${after.name} ${unlogged ? "unlogged" : "logged"}`,
        true,
      );
    }
    const partitionOf = text(after, "partitionOf");
    const wasPartitionOf = text(before, "partitionOf");
    const moved = changed.includes("partitionBound") || changed.includes("partitionOf");
    if (moved && wasPartitionOf) {
      step(
        `ALTER TABLE ${qualified(wasPartitionOf)} DETACH PARTITION ${name}`,
        `detach partition ${after.name} from ${wasPartitionOf}`,
      );
    }
    if (moved && partitionOf) {
      step(
        `ALTER TABLE ${qualified(partitionOf)} ATTACH PARTITION ${name} ${text(after, "partitionBound") ?? "DEFAULT"}`,
        `attach ${after.name} to ${partitionOf} (its rows are scanned against the bounds)`,
      );
    }
    if (changed.includes("inherits")) {
      const old = list(before, "inherits");
      const wanted = list(after, "inherits");
      for (const parent of old.filter((item) => !wanted.includes(item)))
        step(
          `ALTER TABLE ${name} NO INHERIT ${qualified(parent)}`,
          `${after.name} stops inheriting from ${parent}`,
        );
      for (const parent of wanted.filter((item) => !old.includes(item)))
        step(`ALTER TABLE ${name} INHERIT ${qualified(parent)}`, `${after.name} inherits from ${parent}`);
    }
    if (changed.includes("options")) {
      const old = list(before, "options");
      const wanted = list(after, "options");
      const reset = old
        .map((option) => option.slice(0, option.indexOf("=")))
        .filter((key) => !wanted.some((option) => option.startsWith(`${key}=`)));
      if (reset.length > 0)
        step(
          `ALTER TABLE ${name} RESET (${reset.join(", ")})`,
          `reset storage options ${reset.join(", ")} of ${after.name}`,
        );
      if (wanted.length > 0)
        step(`ALTER TABLE ${name} SET (${wanted.join(", ")})`, `set storage options of ${after.name}`);
    }
    emitRowSecurity(after, context, changed);
    if (changed.includes("comment")) emitComment(after, `TABLE ${name}`, context, false);
  },
};
