// Reads live databases into DatabaseSnapshots: a fixed set of catalog queries (one per object
// kind, kinds/)
// inside one read-only REPEATABLE READ transaction per database, so every query sees the same
// instant and nothing can be written, whatever the connection's role may do.
//
// A read has steps. `beginRead` connects, reads the engine (and, when asked, the oldest relations,
// which tell clones apart) and goes on reading the settings and the objects that do not live on a
// relation (schemas, functions, types, extensions, collations). `fingerprint` and `closure` serve
// the paired read. `complete` then reads what lives on relations (all of them, or the ones
// named) and closes the transaction. `introspectDatabase` begins and completes one database;
// paired-read/ uses the fingerprints to read only what differs between several. This file only
// orchestrates: queries and row-to-model code live with their kind, the paired read's in paired-read/.
import pg from "pg";
import { EnvironmentReadError } from "../core/errors.ts";
import { type FilterOptions, makeFilter, type ObjectFilter } from "../core/patterns.ts";
import { failureOf, newClient } from "../core/pg-client.ts";
import { startModelBuild } from "./build-model.ts";
import { ENGINE_QUERY, type EngineRow, engineFacts } from "./engine.ts";
import { GLOBAL_KINDS, type GlobalRows, KINDS, RELATION_KINDS } from "./kinds/index.ts";
import { type PlanParameters, queryFor, type ReadPlan } from "./kinds/kind.ts";
import type { RelationRow } from "./kinds/relations.ts";
import type { DatabaseSnapshot, EngineFacts } from "./model.ts";
import { readDigests } from "./paired-read/digests.ts";
import {
  FINGERPRINT_MAJORS,
  type Fingerprints,
  parseFingerprintLines,
  parseIdentityLines,
  type Seeds,
} from "./paired-read/fingerprints.ts";
import type { NamedDigests } from "./paired-read/name-plan.ts";
import {
  CLOSURE_QUERY,
  fingerprintQuery,
  IDENTITY_QUERY,
  OLDEST_RELATIONS_QUERY,
} from "./paired-read/queries.ts";
import { SETTINGS_QUERY, type SettingRow, type SettingsOptions, selectSettings } from "./settings.ts";
import {
  patternsOf,
  UNMATCHED_PATTERNS_QUERY,
  type UnmatchedPattern,
  unmatchedFromRows,
  unmatchedParameters,
} from "./unmatched-patterns.ts";
import { readViewDefinitions } from "./view-definitions.ts";

export type { ReadPlan } from "./kinds/kind.ts";
export {
  FINGERPRINT_MAJORS,
  type Fingerprints,
  type IdentityLine,
  parseFingerprintLines,
  parseIdentityLines,
  type RelationFingerprint,
  type Seeds,
} from "./paired-read/fingerprints.ts";

export interface IntrospectOptions extends FilterOptions {
  settings?: SettingsOptions;
  /** Per-statement limit inside the introspection transaction. Default 120 s. */
  statementTimeoutMs?: number;
  /** Names the environment in errors. Default: the URL's host and database. */
  environment?: string;
  /** Cancels the read: the connection is closed and the read rejects. */
  signal?: AbortSignal;
  /** Told after each catalog query how many rows (objects) it read: the progress line's count. */
  onObjects?: (count: number) => void;
}

/** How many catalog queries one introspection runs (engine + settings + one per object kind). */
export const QUERY_COUNT = 2 + KINDS.length;

/** A database read half way: its transaction is still open until `complete` or `close`. */
export interface OpenRead {
  readonly environment: string;
  readonly engine: EngineFacts;
  /**
   * The oldest user relations, OID to qualified name: a clone shares them with its source.
   * Present when fingerprints were asked for and the server's major supports them.
   */
  readonly oldestRelations?: ReadonlyMap<number, string>;
  /** Reads the fingerprints (needs `oldestRelations`); paired-read/ asks only for clones. */
  fingerprint(): Promise<Fingerprints>;
  /** Whether a paired read may skip what is the same (fingerprints or digests were allowed). */
  readonly pairing: boolean;
  /** Reads every relation's digest by name (paired-read/digests.ts), for databases that are not clones. */
  digests(): Promise<NamedDigests>;
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
 * Kinds built from their rows while they stream in, a few thousand at a time, never holding them
 * all: the columns are most of a schema's rows (110,000 at 10,000 tables, ~75 MB as node-postgres
 * objects).
 */
const STREAMED_KINDS = new Set(["columns"]);
const STREAM_CHUNK_ROWS = 2000;

/** Runs a query whose rows go to `onRows` in chunks as they arrive; resolves with their count. */
function streamRows(
  client: pg.Client,
  text: string,
  values: unknown[],
  onRows: (rows: unknown[]) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(text, values);
    let chunk: unknown[] = [];
    let count = 0;
    let buildError: unknown;
    const flush = () => {
      if (chunk.length === 0 || buildError !== undefined) return;
      try {
        onRows(chunk);
      } catch (error) {
        buildError = error;
      }
      chunk = [];
    };
    query.on("row", (row: unknown) => {
      chunk.push(row);
      count += 1;
      if (chunk.length >= STREAM_CHUNK_ROWS) flush();
    });
    query.on("end", () => {
      flush();
      if (buildError !== undefined) reject(buildError);
      else resolve(count);
    });
    query.on("error", reject);
    client.query(query);
  });
}

/** Each relation kind's query parameters for a plan (null: read every relation in full). */
function planParameters(plan: ReadPlan | null): PlanParameters {
  return {
    full: plan ? [...plan.full] : null,
    light: plan ? [...plan.light] : null,
    withLight: plan ? [...plan.full, ...plan.light] : null,
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
    engine = engineFacts((await client.query<EngineRow>(ENGINE_QUERY)).rows[0]);
    if (
      withFingerprints &&
      engine.major >= FINGERPRINT_MAJORS.min &&
      engine.major <= FINGERPRINT_MAJORS.max
    ) {
      const rows = await client.query<{ oid: number; name: string }>(OLDEST_RELATIONS_QUERY);
      oldestRelations = new Map(rows.rows.map((row) => [row.oid, row.name]));
    }
  } catch (error) {
    return failed(error);
  }
  const major = engine.major;

  // The settings and the global catalogs are read on from here, while the caller decides, with
  // every database's oldest relations, whether to fingerprint; the steps below wait for them.
  const globals = (async () => {
    const settings = selectSettings((await client.query<SettingRow>(SETTINGS_QUERY)).rows, options.settings);
    const globalRows: Record<string, unknown[]> = {};
    for (const kind of GLOBAL_KINDS) globalRows[kind.name] = (await client.query(queryFor(kind, major))).rows;
    return { settings, globalRows: globalRows as unknown as GlobalRows };
  })().catch(failed);
  // Its failure is reported by whichever step waits for it next.
  globals.catch(() => undefined);

  return {
    environment,
    engine,
    ...(oldestRelations ? { oldestRelations } : {}),
    pairing: withFingerprints,
    async digests() {
      const { globalRows } = await globals;
      if (failure) throw failure;
      try {
        const relations = await readDigests(client, major);
        let rows = 0;
        for (const relation of relations.values()) rows += relation.rows;
        options.onObjects?.(rows);
        return { globalRows, relations };
      } catch (error) {
        return failed(error);
      }
    },
    async fingerprint() {
      if (!oldestRelations)
        throw new Error(
          `fingerprints need PostgreSQL ${FINGERPRINT_MAJORS.min} to ${FINGERPRINT_MAJORS.max}`,
        );
      const { globalRows } = await globals;
      if (failure) throw failure;
      try {
        const relations = parseFingerprintLines(
          (await client.query<{ lines: string | null }>(fingerprintQuery(major))).rows[0]?.lines ?? "",
        );
        const identity = parseIdentityLines(
          (await client.query<{ lines: string | null }>(IDENTITY_QUERY)).rows[0]?.lines ?? "",
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
        const result = await client.query<{ renamed: number[]; changed: number[] }>(CLOSURE_QUERY, [
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
      const patterns = patternsOf(options);
      let unmatched: UnmatchedPattern[] | undefined;
      // Each kind is built as its rows arrive and its rows dropped (build-model.ts).
      const build = startModelBuild(filter);
      for (const kind of GLOBAL_KINDS)
        build.add(kind.name, (globalRows as Record<string, unknown[]>)[kind.name] ?? []);
      try {
        const parameters = planParameters(plan);
        for (const kind of RELATION_KINDS) {
          const values = kind.parameters?.(parameters) ?? [parameters.full];
          let kindRows: unknown[] = [];
          if (STREAMED_KINDS.has(kind.name)) {
            // Not inside `onObjects?.(…)`: an optional call skips its arguments when there is no callback.
            const count = await streamRows(client, queryFor(kind, major), values, (part) =>
              build.addPart(kind.name, part),
            );
            options.onObjects?.(count);
          } else {
            kindRows = (await client.query(queryFor(kind, major), values)).rows as unknown[];
            options.onObjects?.(kindRows.length);
          }
          if (kind.name === "relations") {
            const views = (kindRows as RelationRow[]).filter((row) => row.deparse_view);
            const definitions = await readViewDefinitions(
              client,
              views.map((row) => Number(row.oid)),
            );
            for (const row of views) row.view_definition = definitions.get(Number(row.oid)) ?? null;
          }
          if (plan && kind.lightQuery) {
            const light = await client.query(kind.lightQueryFor?.(major) ?? kind.lightQuery, [
              [...plan.light],
            ]);
            kindRows.push(...light.rows);
          }
          build.add(kind.name, kindRows);
        }
        if (patterns.length > 0) {
          const result = await client.query<{ field: string; idx: number }>(
            UNMATCHED_PATTERNS_QUERY,
            unmatchedParameters(patterns),
          );
          unmatched = unmatchedFromRows(patterns, result.rows);
        }
      } catch (error) {
        return failed(error);
      }
      await close();
      return {
        engine,
        settings,
        objects: build.finish(),
        ...(unmatched ? { unmatchedPatterns: unmatched } : {}),
      };
    },
    close,
    cancel() {
      closed = true;
      void client.end().catch(() => undefined);
    },
  };
}
