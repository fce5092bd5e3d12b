// The whole audit on a server with the default max_locks_per_transaction (64) and a small shared
// lock table (few connections), while another session holds hundreds of locks and takes hundreds
// more: the audit must finish, and the other session's statements must never fail. The old data
// read (one transaction over every sequence and key column) runs out of shared memory here,
// which shows that the server is tight enough for the test to mean something.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { introspectDatabase } from "../../audit/schema/introspect.ts";
import { type EmbeddedServer, startEmbeddedPostgres } from "../support/embedded-postgres.ts";
import { readLegacyDataSnapshot } from "../support/legacy-data-read.ts";

const TABLES = 700;
const VIEWS = 600;
let server: EmbeddedServer;
let dir: string;

beforeAll(async () => {
  // Lock table: 64 × (10 connections + 3 autovacuum workers + 1 + 2 background workers) = 1,024
  // entries, plus what spare shared memory lets it grow by (a few hundred).
  server = await startEmbeddedPostgres({
    major: 15,
    settings: {
      max_locks_per_transaction: 64,
      max_connections: 10,
      max_worker_processes: 2,
      max_wal_senders: 0,
    },
  });
  await withClient(server.url(), (client) => client.query("create database production"));
  await withClient(server.url("production"), async (client) => {
    for (let from = 0; from < TABLES; from += 100) {
      const tables = Array.from({ length: 100 }, (_, i) => from + i).map(
        (i) =>
          `create table t${i} (id serial primary key, note text); insert into t${i} (note) values ('a'), ('b');`,
      );
      await client.query(`begin; ${tables.join("\n")} commit;`);
    }
    // Views over three tables each: pg_get_viewdef locks a view and what it reads until the
    // transaction ends, so deparsing all of them in one transaction needs ~1,200 locks.
    for (let from = 0; from < VIEWS; from += 50) {
      const views = Array.from({ length: 50 }, (_, i) => from + i).map(
        (i) =>
          `create view v${i} as select a.id, b.note, c.note as other from t${i} a join t${i + 1} b using (id) join t${i + 2} c using (id);`,
      );
      await client.query(`begin; ${views.join("\n")} commit;`);
    }
    await client.query("vacuum analyze");
  });
  await withClient(server.url(), (client) => client.query("create database staging template production"));
  await withClient(server.url("staging"), (client) => client.query("insert into t3 (note) values ('c')"));
  dir = await mkdtemp(join(tmpdir(), "parity-locks-"));
  await writeFile(
    join(dir, "parity.config.yaml"),
    `baseline: production\nenvironments:\n  production:\n    database:\n      url: "${server.url("production")}"\n  staging:\n    database:\n      url: "${server.url("staging")}"\n`,
  );
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Another application: holds AccessShareLocks on `from..to` until released. */
async function holdLocks(from: number, to: number): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: server.url("production") });
  await client.connect();
  await client.query("begin");
  const names = Array.from({ length: to - from }, (_, i) => `t${from + i}`);
  await client.query(`lock table ${names.join(", ")} in access share mode`);
  return async () => {
    await client.query("commit");
    await client.end();
  };
}

describe("relation locks on a default-configured server", () => {
  it("the old data read runs out of shared memory there", async () => {
    const release = await holdLocks(0, 400);
    try {
      await expect(
        readLegacyDataSnapshot(
          { url: server.url("production") },
          { environment: "production", configDir: dir },
        ),
      ).rejects.toThrow(/out of shared memory|max_locks_per_transaction/);
    } finally {
      await release();
    }
  });

  it("deparsing every view in one transaction runs out of shared memory there", async () => {
    const release = await holdLocks(0, 400);
    try {
      await expect(
        withClient(server.url("production"), async (client) => {
          await client.query("begin isolation level repeatable read read only");
          await client.query("select pg_get_viewdef(oid) from pg_class where relkind = 'v'");
        }),
      ).rejects.toThrow(/out of shared memory|max_locks_per_transaction/);
    } finally {
      await release();
    }
  });

  it("the schema's full read deparses every view in batches that give their locks back", async () => {
    const release = await holdLocks(0, 400);
    try {
      const snapshot = await introspectDatabase(server.url("production"));
      const views = Object.values(snapshot.objects).filter((object) => object.objectType === "view");
      expect(views).toHaveLength(VIEWS);
      expect(snapshot.objects["view:public.v599"]?.props.definition).toContain(
        "JOIN public.t601 c USING (id)",
      );
      // Meanwhile another session's 300 more locks are still granted.
      await holdLocks(400, TABLES).then((releaseMore) => releaseMore());
    } finally {
      await release();
    }
  });

  it("parity audit finishes and another session's lock-taking statements all succeed meanwhile", async () => {
    const releaseFirst = await holdLocks(0, 400);
    try {
      const audit = auditCommand({
        config: join(dir, "parity.config.yaml"),
        reporters: ["json"],
        registry: defaultRegistry,
      });
      // Meanwhile the application takes 300 more locks, in a transaction of its own.
      const more = holdLocks(400, TABLES).then((release) => release());
      const [outcome] = await Promise.all([audit, more]);
      const report = JSON.parse(outcome.reports[0]?.content ?? "{}") as {
        exitCode: number;
        findings: { ruleId: string; severity: string; location: { object: string } }[];
      };
      expect(report.exitCode).toBe(1);
      expect(
        report.findings.filter((finding) => finding.ruleId === "data/sequence-divergence"),
      ).toMatchObject([{ severity: "error", location: { object: "public.t3_id_seq" } }]);
    } finally {
      await releaseFirst();
    }
  });
});
