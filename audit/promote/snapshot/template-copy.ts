// The pre-promotion snapshot of a plain PostgreSQL target (the embedded default): a copy on the same
// server, `CREATE DATABASE <copy> TEMPLATE <target>`, and undo --restore from it. PostgreSQL copies a
// template only while nobody else is connected to it ("source database is being accessed by other
// users"), so both refuse, naming who is connected, instead of terminating anyone's session.
import type pg from "pg";
import { withClient } from "../../core/pg-client.ts";
import { quoteIdent } from "../../core/sql.ts";
import { undoneDatabaseName } from "./names.ts";

/** A refusal the CLI reports as "nothing done" (exit 1), not as bad input. */
export class SnapshotRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotRefusedError";
  }
}

/** The target's database name and a URL to the same server's maintenance database. */
export function maintenanceUrl(targetUrl: string): { database: string; url: string } {
  const parsed = new URL(targetUrl);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
  parsed.pathname = database === "postgres" ? "/template1" : "/postgres";
  return { database, url: parsed.toString() };
}

async function othersOn(client: pg.Client, databases: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ datname: string; application_name: string; n: string }>(
    `SELECT datname, application_name, count(*)::text AS n FROM pg_stat_activity
     WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()
     GROUP BY datname, application_name ORDER BY datname, application_name`,
    [databases],
  );
  return rows.map(
    (row) => `${row.n} session(s) of "${row.application_name || "(no application_name)"}" on ${row.datname}`,
  );
}

async function refuseIfBusy(client: pg.Client, databases: readonly string[], doing: string): Promise<void> {
  const others = await othersOn(client, databases);
  if (others.length > 0) {
    throw new SnapshotRefusedError(
      `cannot ${doing}: PostgreSQL copies a database only while no one else is connected to it, and ${others.join(", ")}; ` +
        "stop them (parity never terminates sessions it did not open) or run against RDS, whose snapshots need no such pause",
    );
  }
}

/** Copies the target to `copy` on its own server; refuses when others are connected to the target. */
export async function createTemplateCopy(targetUrl: string, copy: string): Promise<void> {
  const { database, url } = maintenanceUrl(targetUrl);
  await withClient(url, async (client) => {
    await refuseIfBusy(client, [database], `copy ${database} to ${copy}`);
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(copy)} TEMPLATE ${quoteIdent(database)}`);
    } catch (error) {
      // Someone connected between the check and the copy.
      if ((error as { code?: string }).code === "55006") {
        throw new SnapshotRefusedError(`cannot copy ${database} to ${copy}: ${(error as Error).message}`);
      }
      throw error;
    }
  });
}

export interface TemplateRestore {
  /** Where the promoted database was moved (kept: parity never drops it). */
  movedAsideTo: string;
}

/**
 * Undo --restore on a plain PostgreSQL target: the promoted database is renamed aside (kept) and the
 * target created again from the copy; the copy stays, so the restore can be repeated.
 */
export async function restoreFromTemplateCopy(
  targetUrl: string,
  copy: string,
  undoId: string,
): Promise<TemplateRestore> {
  const { database, url } = maintenanceUrl(targetUrl);
  const aside = undoneDatabaseName(database, undoId);
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname = ANY($1::text[])",
      [[copy, aside]],
    );
    const present = new Set(rows.map((row) => row.datname));
    if (!present.has(copy)) {
      throw new SnapshotRefusedError(
        `cannot restore ${database}: its pre-promotion copy ${copy} no longer exists`,
      );
    }
    if (present.has(aside))
      throw new SnapshotRefusedError(`cannot restore ${database}: ${aside} already exists`);
    await refuseIfBusy(client, [database, copy], `restore ${database} from ${copy}`);
    await client.query(`ALTER DATABASE ${quoteIdent(database)} RENAME TO ${quoteIdent(aside)}`);
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database)} TEMPLATE ${quoteIdent(copy)}`);
    } catch (error) {
      // Put the promoted database back: the target is never left missing.
      await client.query(`ALTER DATABASE ${quoteIdent(aside)} RENAME TO ${quoteIdent(database)}`);
      throw error;
    }
  });
  return { movedAsideTo: aside };
}
