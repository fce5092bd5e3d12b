// Reads one live database into a DatabaseSnapshot: a fixed set of catalog queries (see
// queries.ts) inside one read-only REPEATABLE READ transaction, so every query sees the same
// instant and nothing can be written, whatever the connection's role may do.
import type pg from "pg";
import { EnvironmentReadError } from "../core/errors.ts";
import { type FilterOptions, makeFilter, type ObjectFilter } from "../core/patterns.ts";
import { newClient } from "../core/pg-client.ts";
import { buildObjects } from "./build-model.ts";
import type { CatalogRows } from "./catalog-rows.ts";
import type { DatabaseSnapshot, EngineFacts } from "./model.ts";
import * as queries from "./queries.ts";
import { type SettingRow, type SettingsOptions, selectSettings } from "./settings.ts";

export interface IntrospectOptions extends FilterOptions {
  settings?: SettingsOptions;
  /** Per-statement limit inside the introspection transaction. Default 120 s. */
  statementTimeoutMs?: number;
  /** Names the environment in errors. Default: the URL's host and database. */
  environment?: string;
  /** Cancels the read: the connection is closed and the read rejects. */
  signal?: AbortSignal;
}

const CATALOG_QUERIES: { [K in keyof CatalogRows]: string } = {
  schemas: queries.SCHEMAS_QUERY,
  relations: queries.RELATIONS_QUERY,
  columns: queries.COLUMNS_QUERY,
  indexes: queries.INDEXES_QUERY,
  constraints: queries.CONSTRAINTS_QUERY,
  sequences: queries.SEQUENCES_QUERY,
  functions: queries.FUNCTIONS_QUERY,
  triggers: queries.TRIGGERS_QUERY,
  types: queries.TYPES_QUERY,
  extensions: queries.EXTENSIONS_QUERY,
  collations: queries.COLLATIONS_QUERY,
  policies: queries.POLICIES_QUERY,
  privileges: queries.PRIVILEGES_QUERY,
  viewDependencies: queries.VIEW_DEPENDENCIES_QUERY,
};

/** How many catalog queries one introspection runs (engine + settings + one per object kind). */
export const QUERY_COUNT = 2 + Object.keys(CATALOG_QUERIES).length;

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "database";
  }
}

export async function introspectDatabase(
  url: string,
  options: IntrospectOptions = {},
): Promise<DatabaseSnapshot> {
  // Validate patterns before connecting: bad input is exit 2 without touching the server.
  const filter = makeFilter(options);
  selectSettings([], options.settings);
  const environment = options.environment ?? describeUrl(url);
  const { signal } = options;
  if (signal?.aborted) throw new EnvironmentReadError(environment, "database", "cancelled");

  const client = newClient({ connectionString: url, application_name: "parity" });
  const work = read(client, environment, filter, options);
  if (!signal) return work;
  // pg cannot interrupt a connect in progress, so a cancelled read stops waiting for it.
  let onAbort = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => {
      void client.end().catch(() => undefined);
      reject(new EnvironmentReadError(environment, "database", "cancelled"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, cancelled]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

async function read(
  client: pg.Client,
  environment: string,
  filter: ObjectFilter,
  options: IntrospectOptions,
): Promise<DatabaseSnapshot> {
  try {
    await client.connect();
  } catch (error) {
    throw new EnvironmentReadError(environment, "database", (error as Error).message, { cause: error });
  }
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query(
      `SET LOCAL default_transaction_read_only = on;
       SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs ?? 120_000))};
       SET LOCAL search_path = pg_catalog`,
    );
    const engineResult = await client.query<EngineRow>(queries.ENGINE_QUERY);
    const settingsResult = await client.query<SettingRow>(queries.SETTINGS_QUERY);
    const rows: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(CATALOG_QUERIES)) rows[name] = (await client.query(sql)).rows;
    await client.query("COMMIT");
    return {
      engine: engineFacts(engineResult.rows[0]),
      settings: selectSettings(settingsResult.rows, options.settings),
      objects: buildObjects(rows as unknown as CatalogRows, filter),
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new EnvironmentReadError(environment, "database catalog", (error as Error).message, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface EngineRow {
  version_num: number;
  version: string;
  encoding: string;
  database: Record<string, unknown>;
}

function engineFacts(row: EngineRow | undefined): EngineFacts {
  if (!row) throw new Error("the server returned no row for the current database");
  const text = (name: string) => {
    const value = row.database[name];
    return typeof value === "string" ? value : null;
  };
  const provider = text("datlocprovider");
  return {
    versionNum: row.version_num,
    major: Math.floor(row.version_num / 10000),
    minor: row.version_num % 100,
    version: row.version,
    encoding: row.encoding,
    collate: text("datcollate") ?? "",
    ctype: text("datctype") ?? "",
    localeProvider: provider === "i" ? "icu" : provider === "b" ? "builtin" : "libc",
    iculocale: text("datlocale") ?? text("daticulocale"),
  };
}
