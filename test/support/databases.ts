// Fresh databases on the shared servers started by global-setup.ts.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { inject, onTestFinished } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import type { EmbeddedMajor } from "./embedded-postgres.ts";

/** The majors this run's shared servers are on, oldest first (PARITY_TEST_MAJORS, global-setup.ts). */
export function testedMajors(): EmbeddedMajor[] {
  return Object.keys(inject("postgresServers"))
    .map((major) => Number(major) as EmbeddedMajor)
    .sort((a, b) => a - b);
}

export function serverUrl(major: EmbeddedMajor): string {
  const url = inject("postgresServers")[String(major)];
  if (!url) throw new Error(`no shared PostgreSQL ${major} server (see test/support/global-setup.ts)`);
  return url;
}

export function databaseUrl(major: EmbeddedMajor, database: string): string {
  const url = new URL(serverUrl(major));
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  major: EmbeddedMajor;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the shared server of `major` and loads `sql` into it.
 * Inside a test it is dropped when the test finishes; elsewhere call `drop()` yourself.
 */
export async function createTestDatabase(
  major: EmbeddedMajor,
  sql?: string,
  options: { prefix?: string; autoDrop?: boolean; subscriptions?: boolean } = {},
): Promise<TestDatabase> {
  const name = `${options.prefix ?? "t"}_${randomBytes(6).toString("hex")}`;
  await withClient(serverUrl(major), (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = databaseUrl(major, name);
  const database: TestDatabase = {
    name,
    url,
    major,
    drop: async () => {
      // DROP DATABASE refuses a database that has subscriptions, even WITH (FORCE).
      if (options.subscriptions) await dropSubscriptions(url).catch(() => undefined);
      await withClient(serverUrl(major), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
  try {
    if (sql) await withClient(url, (client) => client.query(sql));
  } catch (error) {
    await database.drop();
    throw error;
  }
  if (options.autoDrop ?? true) {
    try {
      onTestFinished(() => database.drop());
    } catch {
      // Called from beforeAll/outside a test: the caller drops it.
    }
  }
  return database;
}

export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(sql, params)).rows);
}

/**
 * Drops every subscription of the database at `url`. Tests create them WITH (connect = false),
 * so none has a slot on a real publisher: the slot is let go (slot_name = NONE) before DROP
 * SUBSCRIPTION, which would otherwise connect to the publisher to drop it.
 */
export async function dropSubscriptions(url: string): Promise<void> {
  await withClient(url, (client) =>
    client.query(`do $$ declare s record; begin
      for s in select subname from pg_subscription
               where subdbid = (select oid from pg_database where datname = current_database()) loop
        execute format('alter subscription %I disable', s.subname);
        execute format('alter subscription %I set (slot_name = none)', s.subname);
        execute format('drop subscription %I', s.subname);
      end loop;
    end $$`),
  );
}

/**
 * Drops databases four at a time: all at once would each hold a connection (past 200), one at a
 * time took over two minutes on a loaded machine (each DROP DATABASE waits for a checkpoint).
 */
export async function dropFourAtATime(databases: readonly TestDatabase[]): Promise<void> {
  const queue = [...databases];
  const dropper = async () => {
    for (let database = queue.shift(); database; database = queue.shift()) await database.drop();
  };
  await Promise.all([dropper(), dropper(), dropper(), dropper()]);
}
