// `parity clone` builds its copy under a temporary name (parity_clone_<hex>) that nobody may connect
// to, and renames it to the target only once it is masked. A run that is killed (SIGKILL, a lost CI
// runner) leaves that temporary database behind: never under the target's name, but a copy that may
// still hold unmasked rows. While a clone runs it holds a session advisory lock named after its
// temporary database; a temporary database whose lock nobody holds is a leftover. The next clone on
// that server removes them, and `listCloneLeftovers` lets an audit report them.
import { createHash } from "node:crypto";
import type pg from "pg";
import { quoteIdent } from "../core/sql.ts";

export const CLONE_PREFIX = "parity_clone_";
/** First key of the two-int advisory lock: "pari" as an int32, so parity's locks are recognisable. */
const LOCK_CLASS = 0x70617269;

export interface CloneLeftover {
  database: string;
  /** The in-progress comment parity wrote: which target, since when. */
  comment: string | null;
}

/** The comment a clone's temporary database carries until masking replaces it with the record. */
export function inProgressComment(target: string, started: Date): string {
  return `parity-clone in progress: building ${target}, started ${started.toISOString()}`;
}

const IN_PROGRESS = /^parity-clone in progress: building (.*), started (\S+)$/s;

export function parseInProgressComment(comment: string | null): { building: string; started: Date } | null {
  const match = comment === null ? null : IN_PROGRESS.exec(comment);
  if (!match) return null;
  const started = new Date(match[2] ?? "");
  return Number.isNaN(started.getTime()) ? null : { building: match[1] ?? "", started };
}

export interface BuildingLeftover {
  database: string;
  building: string;
  /** Seconds since the interrupted clone started. */
  ageSeconds: number;
}

/**
 * Leftovers of clones that were building `target` (default: the connected database) and were
 * interrupted before masking committed: they may hold unmasked rows of the source. (One killed after
 * masking carries the masking record instead, no target name; the next clone removes it all the same.)
 */
export async function leftoversBuilding(client: pg.ClientBase, target?: string): Promise<BuildingLeftover[]> {
  const name =
    target ?? (await client.query<{ name: string }>("select current_database() as name")).rows[0]?.name;
  const now = Date.now();
  return (await listCloneLeftovers(client)).flatMap((leftover) => {
    const progress = parseInProgressComment(leftover.comment);
    if (!progress || progress.building !== name) return [];
    return [
      {
        database: leftover.database,
        building: progress.building,
        ageSeconds: Math.max(0, Math.round((now - progress.started.getTime()) / 1000)),
      },
    ];
  });
}

export function cloneLockKey(database: string): [number, number] {
  return [LOCK_CLASS, createHash("sha256").update(database).digest().readInt32BE(0) & 0x7fffffff];
}

/** Temporary clone databases on this server whose clone is no longer running. */
export async function listCloneLeftovers(client: pg.ClientBase): Promise<CloneLeftover[]> {
  const { rows } = await client.query<{ database: string; comment: string | null }>(
    `select datname as database, shobj_description(oid, 'pg_database') as comment
       from pg_database where starts_with(datname, $1) order by datname`,
    [CLONE_PREFIX],
  );
  const leftovers: CloneLeftover[] = [];
  for (const row of rows) {
    const [classid, objid] = cloneLockKey(row.database);
    const held = await client.query(
      "select 1 from pg_locks where locktype = 'advisory' and classid = $1::int::oid and objid = $2::int::oid and objsubid = 2 and granted",
      [classid, objid],
    );
    if (held.rowCount === 0) leftovers.push(row);
  }
  return leftovers;
}

/** Drops every leftover (forcing out anyone connected: nobody should be); returns their names. */
export async function removeCloneLeftovers(client: pg.ClientBase): Promise<string[]> {
  const removed: string[] = [];
  for (const leftover of await listCloneLeftovers(client)) {
    await client.query(`drop database if exists ${quoteIdent(leftover.database)} with (force)`);
    removed.push(leftover.database);
  }
  return removed;
}
