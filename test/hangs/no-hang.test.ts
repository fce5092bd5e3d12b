// "No hang, ever": a host that accepts TCP and never answers, a table behind an ACCESS EXCLUSIVE
// lock, an audit cancelled mid-read, and more environments than a server (or a role) has
// connections for. Real PostgreSQL; the silent host is a loopback TCP server that never writes.

import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { runAudit } from "../../audit/drift/runner/run-audit.ts";
import { parseAuditConfig } from "../../audit/parity-config/load.ts";
import { tempDirWith } from "../audit/support/files.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, serverUrl } from "../support/databases.ts";

let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.resume(); // reads (and drops) what it is sent, so it sees the client hang up
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `postgres://audit:hunter2@127.0.0.1:${(silent.address() as AddressInfo).port}/shop`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const configFor = (baselineUrl: string, targetUrl: string, extra = "") => `baseline: production
environments:
  production: { database: { url: "${baselineUrl}" } }
  staging: { database: { url: "${targetUrl}" } }
${extra}`;

describe("a host that accepts TCP and never answers", () => {
  it("parity audit: exit 2 within the connect timeout and a margin, naming the host, not the password", async () => {
    const database = await createTestDatabase(15, "create table t (id int)");
    const cwd = await tempDirWith({
      "parity.config.yaml": configFor(database.url, silentUrl, "connections: { connectTimeout: 0.5 }"),
    });
    const started = Date.now();
    const result = await runCli("audit", "--config", `${cwd}/parity.config.yaml`);
    const elapsed = Date.now() - started;
    expect(result.exitCode).toBe(2);
    expect(elapsed).toBeLessThan(5_000);
    expect(result.stdout).toMatch(/no answer from 127\.0\.0\.1:\d+ within 500 ms \(connect timeout\)/);
    expect(result.stdout + result.stderr).not.toContain("hunter2");
    // Nothing left waiting on the silent host.
    await expect.poll(() => sockets.size).toBe(0);
  });

  it("parity mask: exit 2 within PARITY_CONNECT_TIMEOUT and a margin", async () => {
    const dir = await tempDirWith({ "rules.yaml": "tables:\n  public.t:\n    email: email\n" });
    process.env.PARITY_CONNECT_TIMEOUT = "0.5";
    process.env.PARITY_MASKING_KEY = "k".repeat(32);
    onTestFinished(() => {
      delete process.env.PARITY_CONNECT_TIMEOUT;
      delete process.env.PARITY_MASKING_KEY;
    });
    const started = Date.now();
    const result = await runCli("mask", "--database-url", silentUrl, "--rules", `${dir}/rules.yaml`);
    expect(result.exitCode).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.stderr).toMatch(/no answer from 127\.0\.0\.1:\d+ within 500 ms \(connect timeout\)/);
    expect(result.stderr).not.toContain("hunter2");
  });

  it("a cancelled audit ends at once: every check lets go of its connection, whether or not it reads its signal", async () => {
    const database = await createTestDatabase(15, "create table t (id int)");
    const config = parseAuditConfig(
      configFor(database.url, silentUrl, "connections: { connectTimeout: 600 }"),
      {
        file: "/tmp/parity.config.yaml",
        env: {},
      },
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runAudit({ config, registry: defaultRegistry, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.exitCode).toBe(2);
    // Both checks of the silent target, the schema read and the data read, were cancelled.
    expect(
      result.errors
        .filter((error) => error.environment === "staging")
        .map((error) => error.check)
        .sort(),
    ).toEqual(["data", "database"]);
    await expect.poll(() => sockets.size).toBe(0);
  });
});

/**
 * A project whose audit's full schema read waits on a lock: another session holds ACCESS
 * EXCLUSIVE on a table a view reads (deparsing the view locks it; the data read locks no user
 * table). Two databases built separately, so the schema read is a full one (a clone of itself
 * would be read only where it differs: nowhere).
 */
async function auditBehindLock(lockTimeoutSeconds: number) {
  const schema = "create table orders (id int); create view order_ids as select id from orders";
  const baseline = await createTestDatabase(15, `create table padding (x int); ${schema}`);
  const database = await createTestDatabase(15, schema);
  const holder = await withClientOpen(database.url);
  await holder.query("begin; lock table orders in access exclusive mode");
  const cwd = await tempDirWith({
    "parity.config.yaml": configFor(
      baseline.url,
      database.url,
      `connections: { lockTimeout: ${lockTimeoutSeconds} }`,
    ),
  });
  return { cwd, database };
}

describe("lock_timeout", () => {
  it("a read behind an ACCESS EXCLUSIVE lock fails after the lock timeout, not the statement timeout", async () => {
    const { cwd } = await auditBehindLock(0.3);
    const started = Date.now();
    const outcome = await auditCommand({ cwd, registry: defaultRegistry, reporters: ["json"] });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.reports[0]?.content).toMatch(/canceling statement due to lock timeout/);
  });
});

describe("Ctrl-C and a CI cancel", () => {
  // The real process (bin/parity.js): the signal handling lives in the CLI.
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s during a read behind a lock: the query is cancelled on the server, exit %i, nothing reported",
    async (signal, code) => {
      const { cwd, database } = await auditBehindLock(60);
      const child = spawn(
        process.execPath,
        [join(import.meta.dirname, "../../bin/parity.js"), "audit", "--reporter", "json"],
        { cwd, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (exitCode) => resolve(exitCode)),
      );
      const parityBackends = (where = "") =>
        withClient(serverUrl(15), async (client) => {
          const { rows } = await client.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
            where datname = $1 and application_name = 'parity' ${where}`,
            [database.name],
          );
          return rows[0]?.n ?? 0;
        });
      // The audit is waiting on the lock (it would for a minute)…
      await expect.poll(() => parityBackends("and wait_event_type = 'Lock'"), { timeout: 20_000 }).toBe(1);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toContain(`interrupted (${signal})`);
      expect(stdout).toBe("");
      // …and its backend is gone, though the lock is still held: cancelled, not left to wait.
      await expect.poll(() => parityBackends(), { timeout: 3000 }).toBe(0);
    },
    60_000,
  );
});

describe("the connection cap", () => {
  it("60 targets finish on a role that allows 20 connections; with a cap above it they would not", async () => {
    const database = await createTestDatabase(15, "create table t (id int primary key, name text)");
    const role = `capped_${database.name}`;
    await withClient(serverUrl(15), (client) =>
      client.query(`create role ${quoteIdent(role)} login connection limit 20;
         grant pg_read_all_data, pg_read_all_settings, pg_read_all_stats to ${quoteIdent(role)}`),
    );
    onTestFinished(async () => {
      await database.drop();
      await withClient(serverUrl(15), (client) => client.query(`drop role if exists ${quoteIdent(role)}`));
    });
    const url = new URL(database.url);
    url.username = role;
    const environments = Array.from(
      { length: 61 },
      (_, index) => `  e${index}: { database: { url: "${url}" } }`,
    );
    const yaml = (max: number) =>
      `baseline: e0\nenvironments:\n${environments.join("\n")}\nconnections: { max: ${max} }\n`;

    const capped = await auditCommand({
      cwd: await tempDirWith({ "parity.config.yaml": yaml(8) }),
      registry: defaultRegistry,
      reporters: ["json"],
    });
    expect(capped.result.errors).toEqual([]);
    expect(capped.exitCode).toBe(0);
    expect(capped.result.targets).toHaveLength(60);

    const uncapped = await auditCommand({
      cwd: await tempDirWith({ "parity.config.yaml": yaml(200) }),
      registry: defaultRegistry,
      reporters: ["json"],
    });
    expect(uncapped.exitCode).toBe(2);
    expect(uncapped.reports[0]?.content).toMatch(/too many connections for role/);
  });
});

async function withClientOpen(url: string) {
  const { newClient } = await import("../../audit/core/pg-client.ts");
  const client = newClient({ connectionString: url });
  await client.connect();
  onTestFinished(() => client.end().catch(() => undefined));
  return client;
}
