// `parity clone`: a fresh, masked copy of a database for local work and the embedded default.
// Same server: CREATE DATABASE … TEMPLATE (a file-level copy, fast). Another server: pg_dump piped
// into psql. Then mask; if masking fails the copy is dropped, so no unmasked clone is left behind.
import { spawn } from "node:child_process";
import type pg from "pg";
import { ParityInputError } from "../core/errors.ts";
import { quoteIdent } from "../core/sql.ts";
import { onConnection } from "./connect.ts";
import { type KeySourceOptions, resolveMaskingKey } from "./hmac-key.ts";
import { checkMaskingRules, maskDatabase } from "./mask-database.ts";
import { passwordToEnvironment } from "./password-env.ts";
import { redactUrl } from "./redact-url.ts";
import { loadMaskingRules } from "./rules-file.ts";
import type { MaskReport } from "./types.ts";

export interface CloneOptions extends KeySourceOptions {
  /** URL of the database to copy. */
  from: string;
  /** A database name on the same server as `from`, or a URL (possibly on another server). */
  to: string;
  rules: string;
  /** Drop an existing target database first. */
  replace?: boolean;
  /** Terminate other sessions on the source (CREATE DATABASE … TEMPLATE needs it to be idle). */
  terminateConnections?: boolean;
  /** How long to wait for other sessions on the source to go away. Default 10 s. */
  waitSeconds?: number;
  batchSize?: number;
}

export interface CloneStep {
  step: string;
  durationMs: number;
}

export interface CloneResult {
  from: string;
  to: string;
  method: "template" | "dump-restore";
  steps: CloneStep[];
  mask: MaskReport;
}

export function resolveTarget(from: string, to: string): { url: string; sameServer: boolean; name: string } {
  const source = parseUrl(from, "--from");
  if (!to.includes("://")) {
    if (to.length === 0 || to.length > 63) throw new ParityInputError(`--to: "${to}" is not a database name`);
    const url = new URL(source);
    url.pathname = `/${encodeURIComponent(to)}`;
    return { url: url.toString(), sameServer: true, name: to };
  }
  const target = parseUrl(to, "--to");
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new ParityInputError(`--to: ${redactUrl(to)} names no database`);
  const sameServer =
    source.hostname === target.hostname && (source.port || "5432") === (target.port || "5432");
  return { url: to, sameServer, name };
}

function parseUrl(url: string, flag: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ParityInputError(`${flag}: not a database URL`);
  }
}

/** Where to run CREATE/DROP DATABASE: `postgres`, or `template1` when `postgres` is the one being copied. */
function maintenanceUrl(url: string, avoid?: string): string {
  const parsed = new URL(url);
  parsed.pathname = avoid === "postgres" ? "/template1" : "/postgres";
  return parsed.toString();
}

export async function cloneCommand(options: CloneOptions): Promise<CloneResult> {
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps.push({ step, durationMs: performance.now() - started });
    return result;
  };
  const steps: CloneStep[] = [];
  const key = await resolveMaskingKey(options);
  const rules = await loadMaskingRules(options.rules);
  const source = new URL(options.from);
  const sourceName = decodeURIComponent(source.pathname.slice(1));
  const target = resolveTarget(options.from, options.to);
  if (target.sameServer && target.name === sourceName) {
    throw new ParityInputError(`--to: the clone cannot be the source database itself (${sourceName})`);
  }
  // Rules that do not fit are refused before any copy exists.
  await timed("check rules", () => checkMaskingRules(options.from, rules, { runOverRows: false }));

  await timed("prepare target", () => prepareTarget(target.url, target.name, options.replace ?? false));
  const method = target.sameServer ? "template" : "dump-restore";
  try {
    if (method === "template") {
      await timed("wait for source to be idle", () =>
        awaitIdleSource(
          options.from,
          sourceName,
          options.terminateConnections ?? false,
          options.waitSeconds ?? 10,
        ),
      );
      await timed("copy (CREATE DATABASE … TEMPLATE)", () =>
        createFromTemplate(options.from, sourceName, target.name),
      );
    } else {
      await timed("create target", () =>
        onConnection(maintenanceUrl(target.url), (client) =>
          client.query(`create database ${quoteIdent(target.name)}`),
        ),
      );
      await timed("copy (pg_dump | psql)", () => dumpRestore(options.from, target.url));
    }
    const mask = await timed("mask", () =>
      maskDatabase({
        databaseUrl: target.url,
        rules,
        key,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      }),
    );
    return { from: redactUrl(options.from), to: redactUrl(target.url), method, steps, mask };
  } catch (error) {
    // Never leave an unmasked (or half-restored) copy behind.
    await onConnection(maintenanceUrl(target.url), (client) =>
      client.query(`drop database if exists ${quoteIdent(target.name)} with (force)`),
    ).catch(() => undefined);
    throw error;
  }
}

async function prepareTarget(targetUrl: string, name: string, replace: boolean): Promise<void> {
  await onConnection(maintenanceUrl(targetUrl), async (client) => {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) return;
    if (!replace) {
      throw new ParityInputError(
        `--to: database "${name}" already exists; pass --replace to drop and re-create it`,
      );
    }
    await client.query(`drop database ${quoteIdent(name)} with (force)`);
  });
}

/**
 * CREATE DATABASE … TEMPLATE copies files and so refuses while anyone else is connected to the source.
 * Wait for them to leave, or terminate them when asked (fine for a local source, rude for a shared one).
 */
async function awaitIdleSource(fromUrl: string, sourceName: string, terminate: boolean, waitSeconds: number) {
  await onConnection(maintenanceUrl(fromUrl, sourceName), async (client) => {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const others = await client.query<{ pid: number; application_name: string }>(
        "select pid, application_name from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [sourceName],
      );
      if (others.rowCount === 0) return;
      if (terminate) {
        await client.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
          [sourceName],
        );
      } else if (Date.now() >= deadline) {
        const who = others.rows.map(
          (row) => `pid ${row.pid}${row.application_name ? ` (${row.application_name})` : ""}`,
        );
        throw new ParityInputError(
          `--from: ${others.rowCount} other session(s) are connected to "${sourceName}" and CREATE DATABASE … TEMPLATE needs it idle; close them or pass --terminate-connections`,
          who,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
}

async function createFromTemplate(fromUrl: string, sourceName: string, targetName: string): Promise<void> {
  await onConnection(maintenanceUrl(fromUrl, sourceName), async (client) => {
    try {
      await client.query(`create database ${quoteIdent(targetName)} template ${quoteIdent(sourceName)}`);
    } catch (error) {
      if ((error as pg.DatabaseError).code === "55006") {
        throw new ParityInputError(
          `--from: "${sourceName}" gained a connection during the copy; retry, or pass --terminate-connections`,
        );
      }
      throw error;
    }
  });
}

/** pg_dump (plain SQL, no owners or grants: the target server's roles differ) piped into psql. */
async function dumpRestore(fromUrl: string, toUrl: string): Promise<void> {
  const from = passwordToEnvironment(fromUrl);
  const to = passwordToEnvironment(toUrl);
  const dump = spawn("pg_dump", ["--no-owner", "--no-acl", "--dbname", from.dbname], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...from.env },
  });
  const restore = spawn(
    "psql",
    ["--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--dbname", to.dbname],
    {
      stdio: ["pipe", "ignore", "pipe"],
      env: { ...process.env, ...to.env },
    },
  );
  dump.stdout.pipe(restore.stdin);
  const finished = (child: ReturnType<typeof spawn>, name: string) =>
    new Promise<void>((resolve, reject) => {
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.on("error", (error) =>
        reject(new ParityInputError(`cannot run ${name} (needed to copy across servers): ${error.message}`)),
      );
      child.on("exit", (code) =>
        code === 0
          ? resolve()
          : reject(new ParityInputError(`${name} failed with exit code ${code}`, [stderr.trim()])),
      );
    });
  await Promise.all([finished(dump, "pg_dump"), finished(restore, "psql")]);
}

export function formatCloneResult(result: CloneResult): string {
  const width = Math.max(...result.steps.map((step) => step.step.length));
  const total = result.steps.reduce((sum, step) => sum + step.durationMs, 0);
  return [
    `cloned ${result.from} → ${result.to} (${result.method}), masked ${result.mask.rows} rows in ${result.mask.tables.length} tables`,
    ...result.steps.map((step) => `  ${step.step.padEnd(width)}  ${(step.durationMs / 1000).toFixed(2)}s`),
    `  ${"total".padEnd(width)}  ${(total / 1000).toFixed(2)}s`,
  ].join("\n");
}
