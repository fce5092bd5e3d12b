// Starts one real PostgreSQL server per embedded major for the whole test run, shared by every
// test file (each test makes its own databases on them), and removes them after the run even
// when tests fail.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { EMBEDDED_MAJORS, type EmbeddedServer, startEmbeddedPostgres } from "./embedded-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the `postgres` database on each shared server, keyed by major. */
    postgresServers: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  // Everything the run writes under the OS temp dir (servers, fixtures, fake CLIs) goes into one
  // directory that is removed at the end, so a test that forgets to clean up leaves nothing behind.
  // Workers are started after this and inherit TMPDIR; sticky and world-writable like /tmp, because
  // the servers run as the `postgres` user.
  const runTmp = await mkdtemp(join(tmpdir(), "parity-test-run-"));
  await chmod(runTmp, 0o1777);
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  const removeRunTmp = async () => {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    await rm(runTmp, { recursive: true, force: true });
  };

  const servers: EmbeddedServer[] = [];
  const stopAll = () => Promise.allSettled(servers.map((server) => server.stop()));
  try {
    const started = await Promise.all(EMBEDDED_MAJORS.map((major) => startEmbeddedPostgres({ major })));
    servers.push(...started);
  } catch (error) {
    await stopAll();
    await removeRunTmp();
    throw error;
  }
  project.provide(
    "postgresServers",
    Object.fromEntries(servers.map((server) => [String(server.major), server.url()])),
  );
  // Ctrl-C during a run: vitest may not reach teardown, so stop the servers here too.
  const onSignal = () => {
    void stopAll()
      .then(removeRunTmp)
      .then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopAll();
    await removeRunTmp();
  };
}
