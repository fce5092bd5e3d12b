// Row security policies: created from their parts, dropped and created again on any change.
import { quoteIdent } from "../../core/sql.ts";
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, list, text } from "../context.ts";
import { parentName, qualified } from "../names.ts";
import { BLOCKS_ALL, lockOn, makeStep, PHASE } from "../step.ts";

function own(policy: SchemaObject): string {
  return quoteIdent(policy.name.slice(parentName(policy).length + 1));
}

function role(name: string): string {
  return name === "public" ? "PUBLIC" : quoteIdent(name);
}

export const policyPlanner: KindPlanner = {
  create(policy, context) {
    const table = parentName(policy);
    const using = text(policy, "using");
    const check = text(policy, "withCheck");
    const roles = list(policy, "roles");
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
