// Child process the MaskingGate starts (`node --import tsx components/masking-worker.ts`): reads
// { databaseUrl, rulesFile, key, columns?, verifyKeyOnly?, connectTimeoutMs? } as JSON on stdin,
// masks the database with the masking library, prints a one-line JSON report. Secrets arrive on
// stdin so they never show in `ps`. Before anything else it compares the database's masking record
// with the key: a clone masked with another key is refused with what to do about it.
import { pathToFileURL } from "node:url";
import { ParityInputError } from "../audit/core/errors.ts";
import { newClient } from "../audit/core/pg-client.ts";
import { connectTo } from "../audit/masking/connect.ts";
import { loadMaskingRules, type MaskingRules, maskDatabase } from "../audit/masking/index.ts";
import { keyFingerprint, readMarker } from "../audit/masking/marker.ts";
import type { MaskingResult } from "./masking-gate.ts";

export interface WorkerRequest {
  databaseUrl: string;
  rulesFile: string;
  key: string;
  /** Only these columns (`schema.table.column`): the columns a rules change newly covers. */
  columns?: readonly string[];
  /** Mask nothing: only check that the clone was masked with this key (a state without its fingerprint). */
  verifyKeyOnly?: boolean;
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk.toString();
  return text;
}

/** The rules restricted to `columns`; every listed column must be ruled in the file. */
export function onlyColumns(rules: MaskingRules, columns: readonly string[]): MaskingRules {
  const wanted = new Set(columns);
  const tables = rules.tables
    .map((table) => ({
      ...table,
      columns: Object.fromEntries(
        Object.entries(table.columns).filter(([column]) =>
          wanted.delete(`${table.schema}.${table.table}.${column}`),
        ),
      ),
    }))
    .filter((table) => Object.keys(table.columns).length > 0);
  if (wanted.size > 0) {
    throw new ParityInputError(`${rules.file}: no rule for ${[...wanted].sort().join(", ")}`);
  }
  return { ...rules, tables };
}

/**
 * The connect timeout. The masking library's connection has none (pg's default waits for TCP to
 * give up, minutes against a filtered port), so the worker first opens one connection of its own
 * with `connectionTimeoutMillis`; the gate's overall deadline covers the library's own connect.
 */
async function checkReachable(databaseUrl: string, timeoutMs: number): Promise<void> {
  const client = newClient({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot connect to the clone within ${timeoutMs} ms (${(error as Error).message}); is this runner admitted by the quarantine security group?`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A clone masked with one key must not get columns masked with another: the same input would mask two
 * ways in one database, and differently from every clone made with either key alone. The library
 * refuses that too; this says what to do about it in the stack's terms.
 */
async function refuseAnotherKey(databaseUrl: string, key: string): Promise<string> {
  const fingerprint = keyFingerprint(key);
  const client = await connectTo(databaseUrl);
  try {
    const marker = await readMarker(client);
    if (marker && marker.keyFingerprint !== fingerprint) {
      throw new ParityInputError(
        `this clone was masked at ${marker.maskedAt} with another masking key (fingerprint ${marker.keyFingerprint}; the gate's key is ${fingerprint}). Masking it, or its newly ruled columns, with this key would mix two keys in one clone: restore the previous key, or bump the clone generation (parity:cloneGeneration) to clone and mask it again with this one`,
      );
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return fingerprint;
}

export async function runMaskingRequest(request: WorkerRequest): Promise<MaskingResult> {
  const all = await loadMaskingRules(request.rulesFile);
  const rules = request.columns === undefined ? all : onlyColumns(all, request.columns);
  await checkReachable(request.databaseUrl, request.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const fingerprint = await refuseAnotherKey(request.databaseUrl, request.key);
  if (request.verifyKeyOnly) return { tables: 0, rows: 0, durationMs: 0, keyFingerprint: fingerprint };
  const report = await maskDatabase({
    databaseUrl: request.databaseUrl,
    rules,
    key: request.key,
    // The URL is the endpoint of the clone this stack restored, never one a person typed, and a
    // restored snapshot keeps production's database name (often `shop_production`): the name guard
    // would refuse every clone.
    allowProductionName: true,
    // A rules change on an existing clone masks only the newly ruled columns (masking-gate.ts); the
    // masking record in the database then holds fewer rules than the file, which is what this allows.
    ...(request.columns === undefined ? {} : { onlyNewRules: true }),
  });
  return {
    tables: report.tables.length,
    rows: report.rows,
    durationMs: report.durationMs,
    keyFingerprint: report.marker.keyFingerprint,
  };
}

async function main(): Promise<void> {
  const request = JSON.parse(await readStdin()) as WorkerRequest;
  const result = await runMaskingRequest(request);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
