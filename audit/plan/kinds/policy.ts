// Row security policies: created from their parts, dropped and created again on any change.
import { quoteIdent } from "../../core/sql.ts";
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, text } from "../context.ts";
import { parentName, qualified } from "../names.ts";
import { BLOCKS_ALL, lockOn, makeStep, PHASE } from "../step.ts";

function own(policy: SchemaObject): string {
  return quoteIdent(policy.name.slice(parentName(policy).length + 1));
}

/** The roles, whether the driver gave them as an array or as PostgreSQL's `{a,"b c"}` text (name[]). */
export function policyRoles(policy: SchemaObject): string[] {
  const value = policy.props.roles;
  if (Array.isArray(value)) return [...value];
  if (typeof value !== "string" || value === "{}") return [];
  const roles: string[] = [];
  for (const match of value.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)) {
    roles.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : (match[2] as string));
  }
  return roles;
}

function role(name: string): string {
  return name === "public" ? "PUBLIC" : quoteIdent(name);
}

export const policyPlanner: KindPlanner = {
  create(policy, context) {
    const table = parentName(policy);
    const using = text(policy, "using");
    const check = text(policy, "withCheck");
    const roles = policyRoles(policy);
    const sql = [
      `CREATE POLICY ${own(policy)} ON ${qualified(table)}`,
      `AS ${(text(policy, "permissive") ?? "permissive").toUpperCase()}`,
      `FOR ${text(policy, "command") ?? "ALL"}`,
      `TO ${roles.length ? roles.map(role).join(", ") : "PUBLIC"}`,
      ...(using !== null ? [`USING (${using})`] : []),
      ...(check !== null ? [`WITH CHECK (${check})`] : []),
    ].join(" ");
    context.emit(
      makeStep({
        phase: PHASE.createPolicy,
        sql,
        summary: `create policy ${policy.name}`,
        action: "create",
        object: policy,
        hazards: [lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL)],
      }),
    );
  },
  drop(policy, context) {
    const table = parentName(policy);
    context.emit(
      makeStep({
        phase: PHASE.dropPolicy,
        sql: `DROP POLICY IF EXISTS ${own(policy)} ON ${qualified(table)}`,
        summary: `drop policy ${policy.name}`,
        action: "drop",
        object: policy,
        hazards: [lockOn("ACCESS EXCLUSIVE", table, BLOCKS_ALL)],
      }),
    );
  },
  recreates() {
    return true;
  },
  alter() {},
};
