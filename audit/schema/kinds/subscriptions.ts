// Subscriptions (logical replication) of the database read: the publications they subscribe
// to, whether they are enabled, their slot, their owner and the options each major has
// (binary and streaming from 14, two_phase and disable_on_error from 15, password_required,
// run_as_owner and origin from 16, failover from 17), a major without an option reading as its
// one behaviour (13 streams nothing: streaming off).
//
// Never the connection string (subconninfo), which holds the publisher's password: it is the one
// column PUBLIC may not read, and it is never named here, so a role that is not superuser reads
// every subscription in full. 13 does not grant PUBLIC synchronous_commit either (14 does), so it
// is read from 14 only, and kept in the model only where it is not the default (off).
import type { GlobalKind } from "./kind.ts";
import { sorted } from "./shared.ts";

export interface SubscriptionRow {
  name: string;
  enabled: boolean;
  slot_name: string | null;
  publications: string[];
  synchronous_commit: string | null;
  binary: boolean;
  streaming: string;
  two_phase: boolean;
  disable_on_error: boolean;
  password_required: boolean;
  run_as_owner: boolean;
  origin: string;
  failover: boolean;
  owner: string;
}

/** The columns a major added, by the major that added them, each with its value before. */
function options(major: number): string {
  const since = (added: number, value: string, before: string) => (major >= added ? value : before);
  return [
    `${since(14, "s.subsynccommit", "null::text")} as synchronous_commit`,
    `${since(14, "s.subbinary", "false")} as binary`,
    // A boolean in 14 and 15; 'f', 't' or 'p' (parallel) from 16.
    `${since(16, "case s.substream when 'p' then 'parallel' when 't' then 'on' else 'off' end", since(14, "case when s.substream then 'on' else 'off' end", "'off'"))} as streaming`,
    // 'd' disabled; 'p' pending or 'e' enabled: asked for.
    `${since(15, "s.subtwophasestate <> 'd'", "false")} as two_phase`,
    `${since(15, "s.subdisableonerr", "false")} as disable_on_error`,
    `${since(16, "s.subpasswordrequired", "true")} as password_required`,
    `${since(16, "s.subrunasowner", "false")} as run_as_owner`,
    `${since(16, "s.suborigin", "'any'")} as origin`,
    `${since(17, "s.subfailover", "false")} as failover`,
  ].join(",\n       ");
}

export const subscriptions: GlobalKind<"subscriptions", SubscriptionRow> = {
  name: "subscriptions",
  scope: "global",
  query: (major) => `
select s.subname as name, s.subenabled as enabled, s.subslotname as slot_name,
       s.subpublications::text[] as publications,
       ${options(major)},
       pg_get_userbyid(s.subowner) as owner
from pg_subscription s
where s.subdbid = (select d.oid from pg_database d where d.datname = current_database())`,
  build(rows, model) {
    for (const row of rows) {
      model.add("subscription", row.name, {
        publications: sorted(row.publications) ?? [],
        enabled: row.enabled,
        slotName: row.slot_name,
        binary: row.binary,
        streaming: row.streaming,
        twoPhase: row.two_phase,
        disableOnError: row.disable_on_error,
        passwordRequired: row.password_required,
        runAsOwner: row.run_as_owner,
        origin: row.origin,
        failover: row.failover,
        ...(row.synchronous_commit && row.synchronous_commit !== "off"
          ? { synchronousCommit: row.synchronous_commit }
          : {}),
        owner: row.owner,
      });
    }
  },
};
