// Triggers, with their full definition and enabled state.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import { normalizeExpression } from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { RelationKind } from "./kind.ts";
import { relationType } from "./shared.ts";

export interface TriggerRow {
  schema: string;
  relation: string;
  kind: string;
  name: string;
  definition: string;
  /** The WHEN condition's node tree when it calls OVERLAPS (overlaps.ts). */
  when_overlaps: string | null;
  enabled: string;
  comment: string | null;
}

const TRIGGER_ENABLED: Record<string, string> = { O: "origin", D: "disabled", R: "replica", A: "always" };

export const triggers: RelationKind<"triggers", TriggerRow> = {
  name: "triggers",
  scope: "relation",
  relationColumns: ["schema", "relation"],
  digestTrees: ["when_overlaps"],
  // tgparentid = 0: triggers cloned onto partitions are implied by the parent's (PostgreSQL 13
  // hides them as internal, 15 does not; leaving them out keeps both majors alike).
  query: `
select n.nspname as schema, c.relname as relation, c.relkind as kind, t.tgname as name,
       pg_get_triggerdef(t.oid) as definition, ${overlapsTreeSql("t.tgqual")} as when_overlaps,
       t.tgenabled as enabled, d.description as comment
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = t.oid and d.classoid = 'pg_trigger'::regclass
where not t.tgisinternal and t.tgparentid = 0 and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  -- $2: relations read light; a trigger on a view goes with the view, so it is read too.
  and ($1::oid[] is null or c.oid = any($1::oid[]) or (c.relkind = 'v' and c.oid = any($2::oid[])))`,
  parameters: ({ full, light }) => [full, light],
  build(rows, model) {
    for (const row of rows) {
      const relation = `${row.schema}.${row.relation}`;
      const name = `${relation}.${row.name}`;
      if (!model.keep(row.schema, name, relation)) continue;
      const parent = objectKey(relationType(row.kind), relation);
      model.add(
        "trigger",
        name,
        {
          definition: normalizeExpression(canonicalOverlaps(row.definition, [row.when_overlaps])),
          enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled,
          comment: row.comment,
        },
        // A trigger on a view goes with the view: when the view is recreated, so is the trigger.
        { parent, dependsOn: row.kind === "v" ? [parent] : [] },
      );
    }
  },
};
