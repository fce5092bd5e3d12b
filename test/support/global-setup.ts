// Starts one real PostgreSQL server per tested major for the whole test run, shared by every
// test file (each test makes its own databases on them), and removes them after the run even
// when tests fail. The majors come from PARITY_TEST_MAJORS (default 13,15,18: the oldest, a middle
// and the newest supported); 13 and 15 are always among them, for the tests that need those two.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  EMBEDDED_MAJORS,
  type EmbeddedMajor,
  type EmbeddedServer,
  startEmbeddedPostgres,
} from "./embedded-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the `postgres` database on each shared server, keyed by major. */
    postgresServers: Record<string, string>;
  }
}

const DEFAULT_MAJORS = "13,15,18";
/** Majors the suite's fixed-major tests use, started whatever PARITY_TEST_MAJORS says. */
const ALWAYS: readonly EmbeddedMajor[] = [13, 15];

/** The majors to start: PARITY_TEST_MAJORS (comma-separated), plus 13 and 15. */
export function testMajors(value = process.env.PARITY_TEST_MAJORS ?? DEFAULT_MAJORS): EmbeddedMajor[] {
  const majors = new Set<EmbeddedMajor>(ALWAYS);
  for (const part of value.split(",").map((item) => item.trim())) {
    if (part === "") continue;
    const major = Number(part);
    if (!(EMBEDDED_MAJORS as readonly number[]).includes(major)) {
      throw new Error(`PARITY_TEST_MAJORS: ${part} is not one of ${EMBEDDED_MAJORS.join(", ")}`);
    }
    majors.add(major as EmbeddedMajor);
  }
  return [...majors].sort((a, b) => a - b);
}

export default async function setup(project: TestProject) {
  const majors = testMajors();
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
    const started = await Promise.all(majors.map((major) => startEmbeddedPostgres({ major })));
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
