// Event triggers: the event, the tags they fire for, the function, the enabled state.
import type { GlobalKind } from "./kind.ts";

export interface EventTriggerRow {
  name: string;
  event: string;
  tags: string[] | null;
  function: string;
  enabled: string;
  owner: string;
  comment: string | null;
}

const ENABLED: Record<string, string> = { O: "origin", D: "disabled", R: "replica", A: "always" };

export const eventTriggers: GlobalKind<"eventTriggers", EventTriggerRow> = {
  name: "eventTriggers",
  scope: "global",
  query: `
select e.evtname as name, e.evtevent as event, e.evttags as tags,
       pn.nspname || '.' || p.proname || '()' as function, e.evtenabled as enabled, pg_get_userbyid(e.evtowner) as owner,
       obj_description(e.oid, 'pg_event_trigger') as comment
from pg_event_trigger e
join pg_proc p on p.oid = e.evtfoid
join pg_namespace pn on pn.oid = p.pronamespace`,
  build(rows, model) {
    for (const row of rows) {
      model.add("event-trigger", row.name, {
        event: row.event,
        tags: row.tags === null ? null : [...row.tags].sort(),
        function: row.function,
        enabled: ENABLED[row.enabled] ?? row.enabled,
        owner: row.owner,
        comment: row.comment,
      });
    }
  },
};
