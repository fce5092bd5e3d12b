// Columns of tables, and attributes of composite types (ALTER TYPE … ATTRIBUTE). A column of a
// table created by the plan is part of its CREATE TABLE (table.ts uses columnDefinition).
import { quoteIdent } from "../../core/sql.ts";
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { parentName, qualified } from "../names.ts";
import type { Hazard } from "../plan-file.ts";
import { BLOCKS_ALL, lockOn, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";
import { refuseUnplanned, type UnplannedProps } from "./not-planned.ts";

/** Defaults that give every existing row its own value, so adding the column rewrites the table. */
const VOLATILE_DEFAULT =
  /\b(nextval|random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday)\s*\(/i;

function own(column: SchemaObject): string {
  return quoteIdent(column.name.slice(parentName(column).length + 1));
}

function onType(column: SchemaObject): boolean {
  return column.parent?.startsWith("type:") ?? false;
}

/** `"email" text COLLATE "C" DEFAULT '' NOT NULL`, as CREATE TABLE and ADD COLUMN take it. */
export function columnDefinition(
  column: SchemaObject,
  _relation: string,
  options: { attribute?: boolean } = {},
): string {
  const parts = [own(column), text(column, "type") ?? "text"];
  const collation = text(column, "collation");
  if (collation !== null) parts.push(`COLLATE ${collation}`);
  if (options.attribute) return parts.join(" ");
  const generated = text(column, "generated");
  if (generated !== null)
    parts.push(`GENERATED ALWAYS AS ${generated.startsWith("(") ? generated : `(${generated})`} STORED`);
  const identity = text(column, "identity");
  if (identity !== null)
    parts.push(`GENERATED ${identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`);
  const fallback = text(column, "default");
  if (fallback !== null) parts.push(`DEFAULT ${fallback}`);
  if (column.props.notNull) parts.push("NOT NULL");
  return parts.join(" ");
}

function addHazards(column: SchemaObject, table: string): Hazard[] {
  const hazards: Hazard[] = [lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL)];
  const fallback = text(column, "default");
  if (
    text(column, "generated") !== null ||
    text(column, "identity") !== null ||
    (fallback !== null && VOLATILE_DEFAULT.test(fallback))
  ) {
    hazards.push({
      kind: "rewrite",
      detail: `table ${table} is rewritten to fill ${column.name} for every row`,
    });
  }
  if (
    column.props.notNull &&
    fallback === null &&
    text(column, "identity") === null &&
    text(column, "generated") === null
  ) {
    hazards.push({ kind: "lock", detail: `NOT NULL without a default: fails if ${table} has rows` });
  }
  return hazards;
}

/** Widening that PostgreSQL does without touching the rows (varchar(n) to varchar(m ≥ n) or text). */
function binaryCompatible(from: string, to: string): boolean {
  const width = (type: string) => /^character varying\((\d+)\)$/.exec(type)?.[1];
  const before = width(from);
  if (before === undefined) return from === "character varying" && to === "text";
  if (to === "text" || to === "character varying") return true;
  const after = width(to);
  return after !== undefined && Number(after) >= Number(before);
}

function narrows(from: string, to: string): boolean {
  const rank: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
  if (rank[from] && rank[to]) return (rank[to] as number) < (rank[from] as number);
  const width = (type: string) => /\((\d+)(?:,\d+)?\)$/.exec(type)?.[1];
  if (to.startsWith("character varying(") || to.startsWith("character(")) {
    return from === "text" || width(from) === undefined || Number(width(to)) < Number(width(from));
  }
  return !binaryCompatible(from, to) && from !== to;
}

function retype(
  before: SchemaObject,
  after: SchemaObject,
  context: PlanContext,
  alter: string,
  table: string,
): void {
  const type = text(after, "type") ?? "text";
  const collation = text(after, "collation");
  const oldType = text(before, "type") ?? "";
  const viaText = (after.dependsOn ?? [])
    .concat(before.dependsOn ?? [])
    .some((key) => key.startsWith("enum:"))
    ? type.endsWith("[]")
      ? "::text[]"
      : "::text"
    : "";
  const hazards: Hazard[] = [lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL)];
  if (!binaryCompatible(oldType, type) && oldType !== type) {
    hazards.push({
      kind: "rewrite",
      detail: `table ${table} and its indexes are rewritten to convert ${after.name} from ${oldType} to ${type}`,
    });
  }
  if (narrows(oldType, type)) {
    hazards.push({
      kind: "data-loss",
      detail: `${oldType} to ${type}: values that do not fit make the conversion fail or are cut`,
    });
  }
  const fallbackBefore = text(before, "default");
  if (fallbackBefore !== null && !onType(after)) {
    context.emit(
      makeStep({
        phase: PHASE.alterColumn,
        sql: `${alter} DROP DEFAULT`,
        summary: `drop the default of ${after.name} while its type changes`,
        action: "alter",
        object: after,
      }),
    );
  }
  const keyword = onType(after) ? "ATTRIBUTE" : "COLUMN";
  const using = onType(after) ? "" : ` USING ${own(after)}${viaText}::${type}`;
  context.emit(
    makeStep({
      phase: PHASE.alterColumn,
      sql: `${alter.replace(" COLUMN ", ` ${keyword} `)} TYPE ${type}${collation !== null ? ` COLLATE ${collation}` : ""}${using}`,
      summary: `change the type of ${after.name} from ${oldType}${text(before, "collation") ? ` collate ${text(before, "collation")}` : ""} to ${type}${collation ? ` collate ${collation}` : ""}`,
      action: "alter",
      object: after,
      hazards,
    }),
  );
  const fallback = text(after, "default");
  if (fallback !== null && !onType(after)) {
    context.emit(
      makeStep({
        phase: PHASE.alterColumn,
        sql: `${alter} SET DEFAULT ${fallback}`,
        summary: `set the default of ${after.name}`,
        action: "alter",
        object: after,
      }),
    );
  }
}

const IDENTITY_MAX: Record<string, string> = {
  smallint: "32767",
  integer: "2147483647",
  bigint: "9223372036854775807",
};

/** What CREATE … GENERATED AS IDENTITY gives without options, for the column's type. */
function defaultIdentityOptions(value: unknown, column: SchemaObject): boolean {
  if (value === null || value === undefined) return true;
  const max = IDENTITY_MAX[text(column, "type") ?? ""];
  return value === `start 1 increment 1 minvalue 1 maxvalue ${max} cache 1 no cycle`;
}

// Column properties the audit compares whose DDL is not planned yet (null: the default).
const UNPLANNED: UnplannedProps = {
  storage: (value) => value === null || value === undefined,
  compression: (value) => value === null || value === undefined,
  statisticsTarget: (value) => value === null || value === undefined,
  identityOptions: defaultIdentityOptions,
  fdwOptions: (value) => value === undefined,
  // PostgreSQL 18's NOT NULL constraint name, NOT VALID and NO INHERIT (only where not the default).
  notNullName: (value) => value === undefined,
  notNullValid: (value) => value === undefined,
  notNullNoInherit: (value) => value === undefined,
};

export const columnPlanner: KindPlanner = {
  create(column, context) {
    if (refuseUnplanned(column, UNPLANNED, context)) return;
    const relation = parentName(column);
    if (column.parent && context.creating.has(column.parent)) {
      // Part of CREATE TABLE / TYPE; only its comment is a statement of its own.
      emitComment(column, `COLUMN ${qualified(relation)}.${own(column)}`, context, true);
      return;
    }
    if (column.props.inherited) return; // comes with its parent table's column
    const definition = columnDefinition(column, relation, { attribute: onType(column) });
    const sql = onType(column)
      ? `ALTER TYPE ${qualified(relation)} ADD ATTRIBUTE ${definition}`
      : `ALTER TABLE ${qualified(relation)} ADD COLUMN IF NOT EXISTS ${definition}`;
    context.emit(
      makeStep({
        phase: PHASE.alterTable,
        sql,
        summary: `add column ${column.name}`,
        action: "create",
        object: column,
        hazards: onType(column) ? [] : addHazards(column, relation),
      }),
    );
    emitComment(column, `COLUMN ${qualified(relation)}.${own(column)}`, context, true);
  },
  drop(column, context) {
    if (column.props.inherited) return; // goes with its parent table's column
    const relation = parentName(column);
    const sql = onType(column)
      ? `ALTER TYPE ${qualified(relation)} DROP ATTRIBUTE IF EXISTS ${own(column)}`
      : `ALTER TABLE ${qualified(relation)} DROP COLUMN IF EXISTS ${own(column)}`;
    context.emit(
      makeStep({
        phase: PHASE.dropColumn,
        sql,
        summary: `drop column ${column.name}`,
        action: "drop",
        object: column,
        hazards: onType(column)
          ? []
          : [
              { kind: "data-loss", detail: `every value of ${column.name} is lost` },
              lockOn("ACCESS EXCLUSIVE", relation, BLOCKS_ALL),
            ],
      }),
    );
  },
  recreates(before, after, changed, context) {
    // A column cannot become generated, or change its expression, in place (before
    // PostgreSQL 17): it is dropped and added again. That loses nothing when both sides compute
    // it; a plain column's values are replaced by computed ones (the drop's data-loss hazard).
    if (!changed.includes("generated")) return false;
    const wanted = text(after, "generated");
    if (wanted !== null) return true;
    if (context.targetMajor >= 13) return false; // DROP EXPRESSION keeps the values
    if (before.props.generated !== null) {
      context.refuse(
        after,
        "a generated column turned plain needs DROP EXPRESSION, which PostgreSQL 12 and older lack",
      );
    }
    return false;
  },
  alter(before, after, changed, context) {
    const unplanned = changed.filter(
      (prop) => prop !== "identityOptions" || !defaultIdentityOptions(after.props[prop], after),
    );
    if (refuseUnplanned(after, UNPLANNED, context, unplanned)) return;
    const table = parentName(after);
    const alter = `${onType(after) ? "ALTER TYPE" : "ALTER TABLE"} ${qualified(table)} ALTER COLUMN ${own(after)}`;
    const step = (sql: string, summary: string, hazards: Hazard[] = []) =>
      context.emit(
        makeStep({
          phase: PHASE.alterColumn,
          sql: `${alter} ${sql}`,
          summary,
          action: "alter",
          object: after,
          hazards,
        }),
      );
    const typeChanged = changed.includes("type") || changed.includes("collation");
    if (
      typeChanged &&
      !context.retyped.has(after.key) &&
      !(after.props.inherited && before.props.inherited)
    ) {
      retype(before, after, context, alter, table);
    }
    if (changed.includes("default") && !typeChanged && !context.retyped.has(after.key)) {
      const fallback = text(after, "default");
      step(
        fallback === null ? "DROP DEFAULT" : `SET DEFAULT ${fallback}`,
        `${fallback === null ? "drop" : "set"} the default of ${after.name}`,
      );
    }
    const identityWanted = text(after, "identity");
    if (changed.includes("identity") && identityWanted === null) {
      // First: an identity column cannot drop NOT NULL.
      step("DROP IDENTITY IF EXISTS", `${after.name} is no longer an identity column`);
    }
    if (changed.includes("notNull")) {
      if (after.props.notNull) {
        step("SET NOT NULL", `make ${after.name} NOT NULL`, [
          lockOn(
            "ACCESS EXCLUSIVE",
            table,
            `${BLOCKS_ALL}; every row of ${table} is scanned, and a NULL makes it fail`,
          ),
        ]);
      } else step("DROP NOT NULL", `allow NULL in ${after.name}`);
    }
    if (changed.includes("identity") && identityWanted !== null) {
      // After SET NOT NULL: an identity column must be NOT NULL.
      const generated = identityWanted === "always" ? "ALWAYS" : "BY DEFAULT";
      if (text(before, "identity") === null)
        step(`ADD GENERATED ${generated} AS IDENTITY`, `make ${after.name} an identity column`);
      else step(`SET GENERATED ${generated}`, `${after.name} is generated ${identityWanted}`);
    }
    if (changed.includes("generated") && text(after, "generated") === null) {
      step("DROP EXPRESSION IF EXISTS", `${after.name} keeps its values and is no longer generated`);
    }
    if (changed.includes("inherited") && before.props.inherited && !after.props.inherited && !onType(after)) {
      // Inherited here, its own column in --from: the parent's column (dropped, or no longer
      // inherited) takes the child's with it, so the child's is added back afterwards.
      context.emit(
        makeStep({
          phase: PHASE.alterTable,
          sql: `ALTER TABLE ${qualified(table)} ADD COLUMN IF NOT EXISTS ${columnDefinition(after, table)}`,
          summary: `keep ${after.name} as a column of its own once its parent's is gone`,
          action: "create",
          object: after,
          hazards: [
            {
              kind: "data-loss",
              detail: `the values ${after.name} inherited are dropped with the parent's column`,
            },
            lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL),
          ],
        }),
      );
    }
    if (changed.includes("comment"))
      emitComment(after, `COLUMN ${qualified(table)}.${own(after)}`, context, false);
  },
};
