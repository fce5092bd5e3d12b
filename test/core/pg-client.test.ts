import { describe, expect, it } from "vitest";
import { failureOf, newClient } from "../../audit/core/pg-client.ts";
import { createTestDatabase, query } from "../support/databases.ts";

describe("newClient", () => {
  it("survives the server dropping an idle connection; the next query fails, and failureOf says why", async () => {
    const database = await createTestDatabase(15);
    const client = newClient({ connectionString: database.url, application_name: "parity-drop-test" });
    await client.connect();

    await query(
      database.url,
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'parity-drop-test'",
    );
    // Let the server's FATAL message reach the idle client: with no 'error' listener of newClient's
    // own, it would surface here as an uncaught exception and fail the run.
    await expect
      .poll(
        async () =>
          (
            await query(
              database.url,
              "select 1 from pg_stat_activity where application_name = 'parity-drop-test'",
            )
          ).length,
      )
      .toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const error = await client.query("select 1").then(
      () => null,
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(Error);
    // pg's own message for that query says nothing of why; failureOf keeps the server's reason.
    expect((error as Error).message).toMatch(/not queryable/);
    expect(failureOf(client, error).message).toBe("terminating connection due to administrator command");
    await client.end().catch(() => undefined);
  });
});
