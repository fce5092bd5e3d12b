// Checks before masking rewrites anything: a database that looks like production is refused unless the
// caller confirms it is not, and so is one that other sessions are connected to (a row they commit
// during the run would stay unmasked; the masked tables are also locked against writers).
import type pg from "pg";
import { ParityInputError } from "../core/errors.ts";

/** Name parts that mark production: `prod`, `production`, `prd`, `live` as a word of a name or host. */
const PRODUCTION_WORD = /(^|[^a-z0-9])(prod|production|prd|live)([^a-z0-9]|$)/i;

export function productionMarker(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const database = decodeURIComponent(parsed.pathname.slice(1));
  if (PRODUCTION_WORD.test(database)) return `database name "${database}"`;
  if (PRODUCTION_WORD.test(parsed.hostname)) return `host "${parsed.hostname}"`;
  return undefined;
}

export function refuseProduction(url: string, allowed: boolean): void {
  const marker = productionMarker(url);
  if (marker && !allowed) {
    throw new ParityInputError(
      `refusing to mask: the ${marker} looks like production (masking rewrites data in place); if this really is a clone, pass --i-know-this-is-not-production`,
    );
  }
}

export async function refuseOtherSessions(client: pg.ClientBase, allowed: boolean): Promise<void> {
  if (allowed) return;
  const { rows } = await client.query<{ pid: number; usename: string | null; application_name: string }>(
    `select pid, usename, application_name from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
      order by pid`,
  );
  if (rows.length === 0) return;
  throw new ParityInputError(
    `refusing to mask: ${rows.length} other session(s) are connected to this database, and a row they commit during masking would stay unmasked; close them, or pass --allow-other-sessions (their writes to masked tables then wait until masking commits)`,
    rows.map(
      (row) =>
        `pid ${row.pid}${row.usename ? ` (${row.usename})` : ""}${row.application_name ? ` ${row.application_name}` : ""}`,
    ),
  );
}
