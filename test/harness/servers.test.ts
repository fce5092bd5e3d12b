import { describe, expect, it } from "vitest";
import { createTestDatabase, query } from "../support/databases.ts";
import { EMBEDDED_MAJORS } from "../support/embedded-postgres.ts";

describe("shared embedded PostgreSQL servers", () => {
  it.each(EMBEDDED_MAJORS)("PostgreSQL %i answers select version() with its major", async (major) => {
    const database = await createTestDatabase(major);
    const [row] = await query<{ version: string; server_version_num: string }>(
      database.url,
      "select version(), current_setting('server_version_num') as server_version_num",
    );
    expect(row?.version).toMatch(new RegExp(`^PostgreSQL ${major}\\.\\d+`));
    expect(Math.floor(Number(row?.server_version_num) / 10000)).toBe(major);
  });

  it("runs the two majors side by side on different ports", async () => {
    const [a, b] = await Promise.all(EMBEDDED_MAJORS.map((major) => createTestDatabase(major)));
    expect(new URL(a?.url ?? "").port).not.toBe(new URL(b?.url ?? "").port);
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
