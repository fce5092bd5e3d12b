// `parity clone`: a fresh, masked copy of a database for local work and the embedded default.
// Same server: CREATE DATABASE … TEMPLATE (a file-level copy, fast). Another server: pg_dump piped
// into psql. The copy is built under a temporary name (leftovers.ts) that only its owner and superusers
// may connect to (CONNECT revoked from PUBLIC), masked, and renamed to the target only after
// the masking committed and the files were rewritten; so an interrupted clone (Ctrl-C, CI cancel,
// SIGKILL) leaves nothing under the target's name, and the next clone removes the temporary copy.
// Rows reach the target server unmasked only inside that quarantined database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { ParityInputError } from "../core/errors.ts";
import { quoteIdent } from "../core/sql.ts";
import { loadGuardConfig, refuseConfiguredProduction, unresolvedWarning } from "./config-guard.ts";
import { connectTo, onConnection } from "./connect.ts";
import { type KeySourceOptions, resolveMaskingKey } from "./hmac-key.ts";
import { CLONE_PREFIX, cloneLockKey, inProgressComment, removeCloneLeftovers } from "./leftovers.ts";
import { MARKER_PREFIX } from "./marker.ts";
import { checkMaskingRules, maskDatabase } from "./mask-database.ts";
import { passwordToEnvironment } from "./password-env.ts";
import { redactUrl } from "./redact-url.ts";
import { loadMaskingRules } from "./rules-file.ts";
import { quoteLiteral } from "./transforms.ts";
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
  /** parity.config.yaml whose baseline and production environments may not be the target (default: found). */
  config?: string;
  /** Where the config is looked for when `config` is not given (default: the working directory). */
  cwd?: string;
  /** The target's host looks like production, or the config names it: clone into it anyway. */
  allowProductionName?: boolean;
  onWarning?: (message: string) => void;
  /** Called as each step starts (progress output; tests use it to interrupt a clone at a step). */
  onStep?: (step: string) => void;
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
  /** Temporary databases of earlier, interrupted clones that this run removed. */
  removedLeftovers: string[];
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
  const steps: CloneStep[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    options.onStep?.(step);
    const started = performance.now();
    const result = await work();
    steps.push({ step, durationMs: performance.now() - started });
    return result;
  };
  const key = await resolveMaskingKey(options);
  const rules = await loadMaskingRules(options.rules);
  const source = new URL(options.from);
  const sourceName = decodeURIComponent(source.pathname.slice(1));
  const target = resolveTarget(options.from, options.to);
  if (target.sameServer && target.name === sourceName) {
    throw new ParityInputError(`--to: the clone cannot be the source database itself (${sourceName})`);
  }
  if (target.name.startsWith(CLONE_PREFIX)) {
    throw new ParityInputError(`--to: names starting with ${CLONE_PREFIX} are parity's temporary clones`);
  }
  // The source usually is production; the target never may be.
  if (!options.allowProductionName) {
    const guard = await loadGuardConfig(options.config, options.cwd ?? process.cwd());
    const warning = unresolvedWarning(guard);
    if (warning) options.onWarning?.(warning);
    await refuseConfiguredProduction(target.url, guard, false, "clone into");
  }
  // Rules that do not fit are refused before any copy exists.
  await timed("check rules", () => checkMaskingRules(options.from, rules, { runOverRows: false }));

  const building = `${CLONE_PREFIX}${randomBytes(6).toString("hex")}`;
  const buildingUrl = withDatabase(target.url, building);
  const admin = await connectTo(maintenanceUrl(target.url, sourceName));
  try {
    // Held for the whole run: while it is, the temporary database is not a leftover.
    await admin.query("select pg_advisory_lock($1, $2)", cloneLockKey(building));
    const removedLeftovers = await timed("remove leftovers of interrupted clones", () =>
      removeCloneLeftovers(admin),
    );
    await timed("check target", () => checkTarget(admin, target.name, options.replace ?? false));
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
        await timed("copy (CREATE DATABASE … TEMPLATE)", async () => {
          await createFromTemplate(admin, sourceName, building);
          await quarantine(admin, building, target.name);
        });
      } else {
        await timed("create quarantined target", async () => {
          await admin.query(`create database ${quoteIdent(building)}`);
          await quarantine(admin, building, target.name);
        });
        await timed("copy (pg_dump | psql)", () => dumpRestore(options.from, buildingUrl));
      }
      const mask = await timed("mask", () =>
        maskDatabase({
          databaseUrl: buildingUrl,
          rules,
          key,
          ...(options.allowProductionName ? { allowProductionName: true } : {}),
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        }),
      );
      await timed("rename to target", () => publish(admin, building, target.name, options.replace ?? false));
      return {
        from: redactUrl(options.from),
        to: redactUrl(target.url),
        method,
        steps,
        mask,
        removedLeftovers,
      };
    } catch (error) {
      // Never leave an unmasked (or half-restored) copy behind.
      await admin
        .query(`drop database if exists ${quoteIdent(building)} with (force)`)
        .catch(() => undefined);
      throw error;
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/**
 * Until the copy is masked and renamed only its owner (parity's role) and superusers may connect:
 * CONNECT is revoked from PUBLIC. (A connection limit of 0 would add nothing: superusers ignore it,
 * and it would lock out an owner that is rds_superuser rather than superuser.)
 */
async function quarantine(admin: pg.Client, building: string, targetName: string): Promise<void> {
  const name = quoteIdent(building);
  await admin.query(`revoke connect, temporary on database ${name} from public`);
  await admin.query(
    `comment on database ${name} is ${quoteLiteral(inProgressComment(targetName, new Date()))}`,
  );
}

async function databaseComment(admin: pg.Client, name: string): Promise<string | null | undefined> {
  const { rows } = await admin.query<{ comment: string | null }>(
    "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
    [name],
  );
  return rows.length === 0 ? undefined : (rows[0]?.comment ?? null);
}

/** An existing target is replaced only when asked and only when parity made it (its masking record says so). */
async function checkTarget(admin: pg.Client, name: string, replace: boolean): Promise<void> {
  const comment = await databaseComment(admin, name);
  if (comment === undefined) return;
  if (!replace) {
    throw new ParityInputError(
      `--to: database "${name}" already exists; pass --replace to drop and re-create it`,
    );
  }
  if (!comment?.startsWith(MARKER_PREFIX)) {
    throw new ParityInputError(
      `--to: database "${name}" exists and was not made by parity clone (it carries no parity masking record), so --replace will not drop it; drop it yourself if it really is disposable`,
    );
  }
}

/** After the mask committed: replace the old clone (if asked), rename, and let users in. */
async function publish(admin: pg.Client, building: string, name: string, replace: boolean): Promise<void> {
  await checkTarget(admin, name, replace);
  await admin.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  await admin.query(`alter database ${quoteIdent(building)} rename to ${quoteIdent(name)}`);
  await admin.query(`grant connect, temporary on database ${quoteIdent(name)} to public`);
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

async function createFromTemplate(admin: pg.Client, sourceName: string, targetName: string): Promise<void> {
  try {
    await admin.query(`create database ${quoteIdent(targetName)} template ${quoteIdent(sourceName)}`);
  } catch (error) {
    if ((error as pg.DatabaseError).code === "55006") {
      throw new ParityInputError(
        `--from: "${sourceName}" gained a connection during the copy; retry, or pass --terminate-connections`,
      );
    }
    throw error;
  }
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
    ...(result.removedLeftovers.length > 0
      ? [`  removed leftovers of interrupted clones: ${result.removedLeftovers.join(", ")}`]
      : []),
    ...result.steps.map((step) => `  ${step.step.padEnd(width)}  ${(step.durationMs / 1000).toFixed(2)}s`),
    `  ${"total".padEnd(width)}  ${(total / 1000).toFixed(2)}s`,
  ].join("\n");
}
