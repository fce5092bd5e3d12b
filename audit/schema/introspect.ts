// Reads live databases into DatabaseSnapshots: a fixed set of catalog queries (see queries.ts)
// inside one read-only REPEATABLE READ transaction per database, so every query sees the same
// instant and nothing can be written, whatever the connection's role may do.
//
// A read has steps. `beginRead` connects, reads the engine (and, when asked, the oldest relations,
// which tell clones apart) and goes on reading the settings and the objects that do not live on a
// relation (schemas, functions, types, extensions, collations). `fingerprint` and `closure` serve
// the paired read. `complete` then reads what lives on relations (all of them, or the ones
// named) and closes the transaction. `introspectDatabase` begins and completes one database;
// paired-read.ts uses the fingerprints to read only what differs between several.
import type pg from "pg";
import { EnvironmentReadError } from "../core/errors.ts";
import { type FilterOptions, makeFilter, type ObjectFilter } from "../core/patterns.ts";
import { failureOf, newClient } from "../core/pg-client.ts";
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

type GlobalRows = Pick<CatalogRows, "schemas" | "functions" | "types" | "extensions" | "collations">;
type RelationRows = Omit<CatalogRows, keyof GlobalRows>;

const GLOBAL_QUERIES: { [K in keyof GlobalRows]: string } = {
  schemas: queries.SCHEMAS_QUERY,
  functions: queries.FUNCTIONS_QUERY,
  types: queries.TYPES_QUERY,
  extensions: queries.EXTENSIONS_QUERY,
  collations: queries.COLLATIONS_QUERY,
};

// Each takes the relations to read as $1 (NULL: every relation).
const RELATION_QUERIES: { [K in keyof RelationRows]: string } = {
  relations: queries.RELATIONS_QUERY,
  columns: queries.COLUMNS_QUERY,
  indexes: queries.INDEXES_QUERY,
  constraints: queries.CONSTRAINTS_QUERY,
  sequences: queries.SEQUENCES_QUERY,
  triggers: queries.TRIGGERS_QUERY,
  policies: queries.POLICIES_QUERY,
  privileges: queries.PRIVILEGES_QUERY,
  viewDependencies: queries.VIEW_DEPENDENCIES_QUERY,
};

/** How many catalog queries one introspection runs (engine + settings + one per object kind). */
export const QUERY_COUNT = 2 + Object.keys(GLOBAL_QUERIES).length + Object.keys(RELATION_QUERIES).length;

/** The majors whose catalogs the fingerprint query knows (hash_record_extended is 14+). */
export const FINGERPRINT_MAJORS = { min: 14, max: 17 } as const;

/** One relation's fingerprint, and the types that stand for it in other objects. */
export interface RelationFingerprint {
  fingerprint: string;
  /** Hash of what other objects' definitions print of it (its name, its columns' names). */
  names: string;
  rowType: number;
  arrayType: number | null;
}

export interface IdentityLine {
  /** The OID to look for in pg_depend when this one's identity differs (an enum label's type). */
  standIn: number;
  identity: string;
}

/**
 * OIDs in the paired read's two kinds (paired-read.ts). As seeds, what differs between the
 * baseline and any target: `renamed`, what other objects' definitions print differently now (a
 * name, a column name, an OID that names something else); `changed`, the rest, which only matters
 * for what is built on it. As a closure's answer, the relations reached from each kind.
 */
export interface Seeds {
  renamed: readonly number[];
  changed: readonly number[];
}

/** A fingerprint per relation, and what every other OID its expressions can name stands for. */
export interface Fingerprints {
  /** The objects that do not live on a relation, as read (types, functions, collations, …). */
  globalRows: GlobalRows;
  relations: ReadonlyMap<number, RelationFingerprint>;
  identity: ReadonlyMap<number, IdentityLine>;
}

/** A database read half way: its transaction is still open until `complete` or `close`. */
export interface OpenRead {
  readonly environment: string;
  readonly engine: EngineFacts;
  /**
   * The oldest user relations, OID to qualified name: a clone shares them with its source.
   * Present when fingerprints were asked for and the server's major supports them.
   */
  readonly oldestRelations?: ReadonlyMap<number, string>;
  /** Reads the fingerprints (needs `oldestRelations`); paired-read.ts asks only for clones. */
  fingerprint(): Promise<Fingerprints>;
  /**
   * For each set of OIDs, the relations that are among them or whose objects name any of them,
   * and the views built on those, transitively.
   */
  closure(seeds: Seeds): Promise<Seeds>;
  /** Reads what lives on the planned relations (null: on every relation), ends the transaction, builds the model. */
  complete(plan: ReadPlan | null): Promise<DatabaseSnapshot>;
  /** Ends the transaction and the connection without reading more. */
  close(): Promise<void>;
  /** Drops the connection at once: a query in flight rejects (the audit was cancelled or timed out). */
  cancel(): void;
}

/**
 * Which relations to read: `full` with everything on them; `light` only for what the differ
 * needs to name what depends on a change (of tables the columns of a type or collation that is
 * not pinned; views with what they are built on and their triggers). Every database of a
 * comparison gets the same plan, so a relation left out, or read light, is left out of every
 * model alike.
 */
export interface ReadPlan {
  full: readonly number[];
  light: readonly number[];
}

/** Each relation query's parameters for a plan (null: read every relation in full). */
function relationParameters(plan: ReadPlan | null): Record<keyof RelationRows, unknown[]> {
  const full = plan ? [...plan.full] : null;
  const light = plan ? [...plan.light] : null;
  const withLight = plan ? [...plan.full, ...plan.light] : null;
  return {
    relations: [full, light],
    columns: [full],
    indexes: [full],
    constraints: [full],
    sequences: [full],
    triggers: [full, light],
    policies: [full],
    privileges: [full],
    viewDependencies: [withLight],
  };
}

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
  const open = await beginRead(url, options);
  return open.complete(null);
}

export async function beginRead(
  url: string,
  options: IntrospectOptions = {},
  { fingerprints = false }: { fingerprints?: boolean } = {},
): Promise<OpenRead> {
  // Validate patterns before connecting: bad input is exit 2 without touching the server.
  const filter = makeFilter(options);
  selectSettings([], options.settings);
  const environment = options.environment ?? describeUrl(url);
  const { signal } = options;
  if (signal?.aborted) throw new EnvironmentReadError(environment, "database", "cancelled");

  const client = newClient({ connectionString: url, application_name: "parity" });
  const work = readGlobal(client, environment, filter, options, fingerprints);
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

async function readGlobal(
  client: pg.Client,
  environment: string,
  filter: ObjectFilter,
  options: IntrospectOptions,
  withFingerprints: boolean,
): Promise<OpenRead> {
  try {
    await client.connect();
  } catch (error) {
    throw new EnvironmentReadError(environment, "database", (error as Error).message, { cause: error });
  }
  // Once a step fails the connection is gone: later steps report that first failure again.
  let failure: EnvironmentReadError | undefined;
  const failed = async (error: unknown): Promise<never> => {
    closed = true;
    const cause = failureOf(client, error);
    failure ??= new EnvironmentReadError(environment, "database catalog", cause.message, { cause });
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
    throw failure;
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.query("COMMIT").catch(() => undefined);
    await client.end().catch(() => undefined);
  };

  let engine: EngineFacts;
  let oldestRelations: Map<number, string> | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query(
      `SET LOCAL default_transaction_read_only = on;
       SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs ?? 120_000))};
       SET LOCAL search_path = pg_catalog`,
    );
    engine = engineFacts((await client.query<EngineRow>(queries.ENGINE_QUERY)).rows[0]);
    if (
      withFingerprints &&
      engine.major >= FINGERPRINT_MAJORS.min &&
      engine.major <= FINGERPRINT_MAJORS.max
    ) {
      const rows = await client.query<{ oid: number; name: string }>(queries.OLDEST_RELATIONS_QUERY);
      oldestRelations = new Map(rows.rows.map((row) => [row.oid, row.name]));
    }
  } catch (error) {
    return failed(error);
  }
  const major = engine.major;

  // The settings and the global catalogs are read on from here, while the caller decides, with
  // every database's oldest relations, whether to fingerprint; the steps below wait for them.
  const globals = (async () => {
    const settings = selectSettings(
      (await client.query<SettingRow>(queries.SETTINGS_QUERY)).rows,
      options.settings,
    );
    const globalRows: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(GLOBAL_QUERIES))
      globalRows[name] = (await client.query(sql)).rows;
    return { settings, globalRows: globalRows as unknown as GlobalRows };
  })().catch(failed);
  // Its failure is reported by whichever step waits for it next.
  globals.catch(() => undefined);

  return {
    environment,
    engine,
    ...(oldestRelations ? { oldestRelations } : {}),
    async fingerprint() {
      if (!oldestRelations)
        throw new Error(
          `fingerprints need PostgreSQL ${FINGERPRINT_MAJORS.min} to ${FINGERPRINT_MAJORS.max}`,
        );
      const { globalRows } = await globals;
      if (failure) throw failure;
      try {
        const relations = parseFingerprintLines(
          (await client.query<{ lines: string | null }>(queries.fingerprintQuery(major))).rows[0]?.lines ??
            "",
        );
        const identity = parseIdentityLines(
          (await client.query<{ lines: string | null }>(queries.IDENTITY_QUERY)).rows[0]?.lines ?? "",
        );
        return { globalRows, relations, identity };
      } catch (error) {
        return failed(error);
      }
    },
    async closure({ renamed, changed }) {
      if (failure) throw failure;
      if (renamed.length === 0 && changed.length === 0) return { renamed: [], changed: [] };
      try {
        const result = await client.query<{ renamed: number[]; changed: number[] }>(queries.CLOSURE_QUERY, [
          renamed,
          changed,
        ]);
        return { renamed: result.rows[0]?.renamed ?? [], changed: result.rows[0]?.changed ?? [] };
      } catch (error) {
        return failed(error);
      }
    },
    async complete(plan) {
      const { settings, globalRows } = await globals;
      if (failure) throw failure;
      const rows: Record<string, unknown[]> = { ...globalRows };
      try {
        const parameters = relationParameters(plan);
        for (const [name, sql] of Object.entries(RELATION_QUERIES) as [keyof RelationRows, string][]) {
          rows[name] = (await client.query(sql, parameters[name])).rows;
        }
        if (plan) {
          const light = await client.query(queries.LIGHT_COLUMNS_QUERY, [[...plan.light]]);
          (rows.columns as unknown[]).push(...light.rows);
        }
      } catch (error) {
        return failed(error);
      }
      await close();
      return { engine, settings, objects: buildObjects(rows as unknown as CatalogRows, filter) };
    },
    close,
    cancel() {
      closed = true;
      void client.end().catch(() => undefined);
    },
  };
}

/**
 * `oid row-type array-type fingerprint names` lines (fingerprintQuery) into a map by OID. One
 * text value parses in a fraction of the time 4,000 rows take through the wire protocol.
 */
export function parseFingerprintLines(text: string): Map<number, RelationFingerprint> {
  const fingerprints = new Map<number, RelationFingerprint>();
  if (text === "") return fingerprints;
  for (const line of text.split("\n")) {
    const [oid, rowType, arrayType, fingerprint, names] = line.split(" ");
    fingerprints.set(Number(oid), {
      fingerprint: fingerprint as string,
      names: names as string,
      rowType: Number(rowType),
      arrayType: arrayType === "0" ? null : Number(arrayType),
    });
  }
  return fingerprints;
}

/** `oid<TAB>stand-in<TAB>identity` lines (IDENTITY_QUERY) into a map by OID. */
export function parseIdentityLines(text: string): Map<number, IdentityLine> {
  const lines = new Map<number, IdentityLine>();
  if (text === "") return lines;
  for (const line of text.split("\n")) {
    const first = line.indexOf("\t");
    const second = line.indexOf("\t", first + 1);
    lines.set(Number(line.slice(0, first)), {
      standIn: Number(line.slice(first + 1, second)),
      identity: line.slice(second + 1),
    });
  }
  return lines;
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
