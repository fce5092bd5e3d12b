// GRANT / REVOKE. The model keeps, per object and grantee, only privileges that differ from the
// built-in default, so a grantee's privileges are set whole: REVOKE ALL, then GRANT what
// --from has. Roles are named, never created; nothing about a role's password is read.
import { quoteIdent } from "../../core/sql.ts";
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, list, type PlanContext, text } from "../context.ts";
import { qualified, routineSignature } from "../names.ts";
import { makeStep, PHASE } from "../step.ts";

function grantee(privilege: SchemaObject): string {
  const name = text(privilege, "grantee") ?? "PUBLIC";
  return name === "PUBLIC" ? "PUBLIC" : quoteIdent(name);
}

/** What follows ON, and the column list for column privileges. */
function target(privilege: SchemaObject, context: PlanContext): { on: string; columns: string } {
  const on = text(privilege, "on");
  if (on === "schema") return { on: `SCHEMA ${quoteIdent(privilege.name)}`, columns: "" };
  if (on === "function") return { on: `ROUTINE ${routineSignature(privilege.name)}`, columns: "" };
  if (on === "sequence") return { on: `SEQUENCE ${qualified(privilege.name)}`, columns: "" };
  if (on === "column") {
    const column = context.from[privilege.parent ?? ""] ?? context.to[privilege.parent ?? ""];
    const table = column?.parent
      ? column.parent.slice(column.parent.indexOf(":") + 1)
      : privilege.name.slice(0, privilege.name.lastIndexOf("."));
    return {
      on: `TABLE ${qualified(table)}`,
      columns: ` (${quoteIdent(privilege.name.slice(table.length + 1))})`,
    };
  }
  return { on: `TABLE ${qualified(privilege.name)}`, columns: "" };
}

function emitGrants(
  privilege: SchemaObject,
  wanted: readonly string[],
  context: PlanContext,
  action: "create" | "alter" | "drop",
): void {
  const { on, columns } = target(privilege, context);
  const to = grantee(privilege);
  const statements = [`REVOKE ALL${columns} ON ${on} FROM ${to}`];
  const plain = wanted.filter((item) => !item.endsWith(" WITH GRANT OPTION"));
  const grantable = wanted
    .filter((item) => item.endsWith(" WITH GRANT OPTION"))
    .map((item) => item.replace(" WITH GRANT OPTION", ""));
  const withColumns = (items: string[]) => items.map((item) => `${item}${columns}`).join(", ");
  if (plain.length) statements.push(`GRANT ${withColumns(plain)} ON ${on} TO ${to}`);
  if (grantable.length)
    statements.push(`GRANT ${withColumns(grantable)} ON ${on} TO ${to} WITH GRANT OPTION`);
  for (const sql of statements) {
    context.emit(
      makeStep({
        phase: PHASE.grant,
        sql,
        summary: `${text(privilege, "grantee")} on ${text(privilege, "on")} ${privilege.name}: ${wanted.length ? wanted.join(", ") : "the default privileges"}`,
        action,
        object: privilege,
      }),
    );
  }
}

export const privilegePlanner: KindPlanner = {
  create(privilege, context) {
    emitGrants(privilege, list(privilege, "privileges"), context, "create");
  },
  drop(privilege, context) {
    // Back to the built-in default: none for other roles, EXECUTE for PUBLIC on routines.
    const defaults =
      text(privilege, "on") === "function" && text(privilege, "grantee") === "PUBLIC" ? ["EXECUTE"] : [];
    emitGrants(privilege, defaults, context, "drop");
  },
  alter(_before, after, _changed, context) {
    emitGrants(after, list(after, "privileges"), context, "alter");
  },
};
