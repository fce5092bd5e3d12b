import { describe, expect, it } from "vitest";
import { createTestDatabase, query, testedMajors } from "../support/databases.ts";
import { testMajors } from "../support/global-setup.ts";

describe("shared embedded PostgreSQL servers", () => {
  it.each(testedMajors())("PostgreSQL %i answers select version() with its major", async (major) => {
    const database = await createTestDatabase(major);
    const [row] = await query<{ version: string; server_version_num: string }>(
      database.url,
      "select version(), current_setting('server_version_num') as server_version_num",
    );
    expect(row?.version).toMatch(new RegExp(`^PostgreSQL ${major}\\.\\d+`));
    expect(Math.floor(Number(row?.server_version_num) / 10000)).toBe(major);
  });

  it("runs the majors side by side on different ports", async () => {
    const databases = await Promise.all(testedMajors().map((major) => createTestDatabase(major)));
    expect(new Set(databases.map((database) => new URL(database.url).port)).size).toBe(databases.length);
  });

  it("starts the majors PARITY_TEST_MAJORS names, always with 13 and 15", () => {
    expect(testMajors("13,15,18")).toEqual([13, 15, 18]);
    expect(testMajors("18, 14")).toEqual([13, 14, 15, 18]);
    expect(testMajors("")).toEqual([13, 15]);
    expect(() => testMajors("12")).toThrow(/PARITY_TEST_MAJORS: 12 is not one of 13, 14, 15, 16, 17, 18/);
  });

  it("loads SQL into a fresh database and drops it afterwards", async () => {
    const database = await createTestDatabase(
      15,
      "create table t (id int primary key); insert into t values (1), (2);",
      {
        autoDrop: false,
      },
    );
    const rows = await query<{ n: string }>(database.url, "select count(*) as n from t");
    expect(rows[0]?.n).toBe("2");
    await database.drop();
    await expect(query(database.url, "select 1")).rejects.toThrow(/does not exist/);
  });

  it("has contrib extensions and ICU collations available", async () => {
    const database = await createTestDatabase(15, "create extension citext; create extension pg_trgm;");
    const rows = await query<{ n: string }>(
      database.url,
      "select count(*) as n from pg_collation where collprovider = 'i'",
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  });
});

describe("a checkout in a private directory, as root", () => {
  it.runIf(process.getuid?.() === 0)(
    "runs PostgreSQL from binaries under a 0700 directory the postgres user cannot reach",
    async () => {
      const { execFileSync } = await import("node:child_process");
      const { chmod, mkdtemp, rm } = await import("node:fs/promises");
      const { tmpdir } = await import("node:os");
      const { dirname, join } = await import("node:path");
      const { postgres } = await import("pg15");
      const { startEmbeddedPostgres } = await import("../support/embedded-postgres.ts");
      const { withClient } = await import("../../audit/core/pg-client.ts");
      // A private checkout: node_modules/pg15/native hard-linked under a 0700 directory.
      const checkout = await mkdtemp(join(tmpdir(), "parity-private-checkout-"));
      await chmod(checkout, 0o700);
      try {
        execFileSync("cp", ["-al", dirname(dirname(postgres)), join(checkout, "native")]);
        const binaries = {
          initdb: join(checkout, "native/bin/initdb"),
          postgres: join(checkout, "native/bin/postgres"),
        };
        const server = await startEmbeddedPostgres({ major: 15, binaries });
        try {
          const rows = await withClient(server.url(), (client) => client.query("select 1 as one"));
          expect(rows.rows).toEqual([{ one: 1 }]);
        } finally {
          await server.stop();
        }
      } finally {
        await rm(checkout, { recursive: true, force: true });
      }
    },
  );
});
