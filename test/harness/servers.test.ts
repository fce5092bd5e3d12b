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
