// Engine facts and server settings, on real servers: per-database settings (ALTER DATABASE SET)
// are what a new session sees, so they stand in for server-level configuration here.
import { describe, expect, it } from "vitest";
import {
  compareSnapshots,
  introspectDatabase,
  NOISE_SETTINGS,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, query } from "../support/databases.ts";

async function databaseWith(settings: Record<string, string>) {
  const database = await createTestDatabase(15, "create table public.t (id int);", { prefix: "eng" });
  for (const [name, value] of Object.entries(settings)) {
    await query(database.url, `alter database "${database.name}" set ${name} = '${value}'`);
  }
  return database;
}

describe("engine facts", () => {
  it("reads version, encoding and locale", async () => {
    const database = await databaseWith({});
    const snapshot = await introspectDatabase(database.url);
    expect(snapshot.engine.major).toBe(15);
    expect(snapshot.engine.minor).toBeGreaterThan(0);
    expect(snapshot.engine.encoding).toBe("UTF8");
    expect(snapshot.engine.collate).toBe("C.UTF-8");
    expect(snapshot.engine.localeProvider).toBe("libc");
  });

  it("reports a watched setting that differs, and not one that is equal", async () => {
    const [a, b] = await Promise.all([
      databaseWith({ work_mem: "4MB", TimeZone: "UTC" }),
      databaseWith({ work_mem: "64MB", TimeZone: "UTC" }),
    ]);
    const findings = compareSnapshots(await introspectDatabase(a.url), await introspectDatabase(b.url), {
      baseline: "prod",
      target: "staging",
    });
    expect(findings.map((f) => [f.ruleId, f.location.objectType, f.location.object])).toEqual([
      ["engine/setting", "setting", "work_mem"],
    ]);
    expect(findings[0]?.expected).toBe("4096 (unit kB)");
    expect(findings[0]?.actual).toBe("65536 (unit kB)");
    expect(findings[0]?.severity).toBe("warning");
  });

  it("reports planner settings and any non-default setting, but never host noise", async () => {
    const [a, b] = await Promise.all([
      databaseWith({}),
      databaseWith({ enable_nestloop: "off", vacuum_cost_limit: "500", application_name: "other" }),
    ]);
    const findings = compareSnapshots(await introspectDatabase(a.url), await introspectDatabase(b.url));
    expect(findings.map((f) => f.location.object).sort()).toEqual(["enable_nestloop", "vacuum_cost_limit"]);
    expect(NOISE_SETTINGS.has("application_name")).toBe(true);
  });

  it("extends and trims the list with settings.include / settings.exclude", async () => {
    const [a, b] = await Promise.all([
      databaseWith({ work_mem: "4MB" }),
      databaseWith({ work_mem: "8MB", enable_hashjoin: "off" }),
    ]);
    const options = { settings: { exclude: ["work_mem", "enable_*"] } };
    const trimmed = compareSnapshots(
      await introspectDatabase(a.url, options),
      await introspectDatabase(b.url, options),
    );
    expect(trimmed).toEqual([]);

    // A setting left out as session noise is compared when asked for by name.
    const [c, d] = await Promise.all([
      databaseWith({ default_transaction_read_only: "off" }),
      databaseWith({ default_transaction_read_only: "on" }),
    ]);
    expect(
      compareSnapshots(await introspectDatabase(c.url), await introspectDatabase(d.url)).map(
        (f) => f.location.object,
      ),
    ).toEqual([]);
    const included = { settings: { include: ["default_transaction_read_only"] } };
    const findings = compareSnapshots(
      await introspectDatabase(c.url, included),
      await introspectDatabase(d.url, included),
    );
    expect(findings.map((f) => f.location.object)).toEqual(["default_transaction_read_only"]);
  });

  it("reports a different major as an error and ignores settings only one major has", async () => {
    const [old, current] = await Promise.all([
      createTestDatabase(13, "create table public.t (id int);"),
      createTestDatabase(15, "create table public.t (id int);"),
    ]);
    const findings = compareSnapshots(
      await introspectDatabase(old.url),
      await introspectDatabase(current.url),
    );
    expect(findings.find((f) => f.ruleId === "engine/major-version")?.severity).toBe("error");
    // recursive_worktable_factor is new in 15 (a planner setting): not a finding of its own.
    expect(findings.map((f) => f.location.object)).not.toContain("recursive_worktable_factor");
    expect(findings.filter((f) => !f.ruleId.startsWith("engine/"))).toEqual([]);
  });
});
