// Rules (CREATE RULE) on tables and views, other than a view's own `_RETURN` rule (its query is
// the view's definition): the full definition, the enabled state, the comment.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeRuleDefinition } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { RelationKind } from "./kind.ts";
import { relationType } from "./shared.ts";

export interface RuleRow {
  schema: string;
  relation: string;
  relkind: string;
  name: string;
  definition: string;
  /** The condition's and the actions' node trees when they call OVERLAPS (overlaps.ts). */
  overlaps: (string | null)[];
  enabled: string;
  comment: string | null;
}

const ENABLED: Record<string, string> = { O: "origin", D: "disabled", R: "replica", A: "always" };

export const rules: RelationKind<"rules", RuleRow> = {
  name: "rules",
  scope: "relation",
  relationColumns: ["schema", "relation"],
  digestTrees: ["overlaps"],
  query: `
select n.nspname as schema, c.relname as relation, c.relkind as relkind, r.rulename as name,
       pg_get_ruledef(r.oid) as definition,
       array[${overlapsTreeSql("r.ev_qual")}, ${overlapsTreeSql("r.ev_action")}] as overlaps,
       r.ev_enabled as enabled,
       obj_description(r.oid, 'pg_rewrite') as comment
from pg_rewrite r
join pg_class c on c.oid = r.ev_class
join pg_namespace n on n.oid = c.relnamespace
where r.rulename <> '_RETURN' and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`,
  build(rows, model) {
    for (const row of rows) {
      const relation = `${row.schema}.${row.relation}`;
      const name = `${relation}.${row.name}`;
      if (!model.keep(row.schema, name, relation)) continue;
      model.add(
        "rule",
        name,
        {
          definition: normalizeRuleDefinition(canonicalOverlaps(row.definition, row.overlaps)),
          enabled: ENABLED[row.enabled] ?? row.enabled,
          comment: row.comment,
        },
        { parent: objectKey(relationType(row.relkind), relation) },
      );
    }
  },
};
