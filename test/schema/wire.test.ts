// What introspection sends over the wire, seen through a loopback proxy in front of the real
// server: a fixed number of statements whatever the size of the schema, inside one read-only
// REPEATABLE READ transaction, from a session named `parity`.
import { createConnection, createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import {
  beginRead,
  completeTogether,
  introspectDatabase,
  QUERY_COUNT,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, databaseUrl, serverUrl } from "../support/databases.ts";

interface Recorded {
  statements: string[];
  startup: string;
}

/** Forwards to `target` and records every query (simple Query or extended Parse) the client sends. */
async function recordingProxy(
  target: URL,
): Promise<{ url: (database: string) => string; recorded: Recorded; server: Server }> {
  const recorded: Recorded = { statements: [], startup: "" };
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    let buffer = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 4) break;
          const length = buffer.readUInt32BE(0);
          if (buffer.length < length) break;
          recorded.startup += buffer.subarray(8, length).toString("utf8");
          buffer = buffer.subarray(length);
          started = true;
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readUInt32BE(1);
        if (buffer.length < length + 1) break;
        // Q: a simple query. P: the Parse of a query with parameters (statement name, then text).
        if (buffer[0] === 0x51) recorded.statements.push(buffer.subarray(5, length).toString("utf8"));
        if (buffer[0] === 0x50) {
          const nameEnd = buffer.indexOf(0, 5);
          recorded.statements.push(
            buffer.subarray(nameEnd + 1, buffer.indexOf(0, nameEnd + 1)).toString("utf8"),
          );
        }
        buffer = buffer.subarray(length + 1);
      }
    });
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("close", () => upstream.end());
    upstream.on("close", () => client.end());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    recorded,
    server,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
  };
}

function tables(count: number): string {
  return Array.from(
    { length: count },
    (_, i) =>
      `create table public.t${i} (id int primary key, v text default 'x' check (v <> '')); create index on public.t${i} (v);`,
  ).join("\n");
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("introspection on the wire", () => {
  it("sends the same fixed statements for 3 tables and for 120", async () => {
    const [small, large] = await Promise.all([
      createTestDatabase(15, tables(3)),
      createTestDatabase(15, tables(120)),
    ]);
    const counts: number[] = [];
    for (const database of [small, large]) {
      const proxy = await recordingProxy(new URL(database.url));
      servers.push(proxy.server);
      const snapshot = await introspectDatabase(proxy.url(database.name));
      expect(Object.keys(snapshot.objects).length).toBeGreaterThan(3);
      counts.push(proxy.recorded.statements.length);

      const [begin, settings, ...rest] = proxy.recorded.statements;
      expect(begin).toBe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      expect(settings).toMatch(/SET LOCAL default_transaction_read_only = on/);
      expect(settings).toMatch(/SET LOCAL statement_timeout = \d+/);
      expect(rest.at(-1)).toBe("COMMIT");
      expect(rest.length - 1).toBe(QUERY_COUNT);
      expect(proxy.recorded.startup).toContain("application_name\u0000parity\u0000");
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it("the paired read of two clones also sends a fixed set, whatever the size", async () => {
    const shapes: string[][] = [];
    // 10 and 120: the drift below stays under half of the relations, so both are paired reads.
    for (const count of [10, 120]) {
      const origin = await createTestDatabase(15, tables(count));
      const clones = [`${origin.name}_a`, `${origin.name}_b`];
      await withClient(serverUrl(15), async (client) => {
        for (const clone of clones) {
          await client.query(`CREATE DATABASE ${quoteIdent(clone)} TEMPLATE ${quoteIdent(origin.name)}`);
        }
      });
      try {
        // Drift on the target: a changed default and a new table, so the second step has work.
        await withClient(databaseUrl(15, clones[1] as string), (client) =>
          client.query(
            "alter table public.t1 alter column v set default 'y'; create table public.extra (id int);",
          ),
        );
        const proxies = await Promise.all(clones.map(() => recordingProxy(new URL(origin.url))));
        servers.push(...proxies.map((proxy) => proxy.server));
        const reads = await Promise.all(
          clones.map((clone, i) =>
            beginRead(
              (proxies[i] as (typeof proxies)[number]).url(clone),
              { environment: clone },
              { fingerprints: true },
            ),
          ),
        );
        const snapshots = await completeTogether(reads[0], reads.slice(1));
        expect([...snapshots.values()].every((snapshot) => !(snapshot instanceof Error))).toBe(true);
        for (const proxy of proxies) {
          const [begin, , ...rest] = proxy.recorded.statements;
          expect(begin).toBe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
          expect(rest.at(-1)).toBe("COMMIT");
        }
        // The same statements for 3 tables and for 120, literals and all: nothing per object.
        shapes.push(proxies.flatMap((proxy) => proxy.recorded.statements));
      } finally {
        await withClient(serverUrl(15), async (client) => {
          for (const clone of clones)
            await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(clone)} WITH (FORCE)`);
        });
      }
    }
    expect(shapes[0]).toEqual(shapes[1]);
    // Engine, settings, the global kinds, the oldest relations, fingerprints, identities, the
    // closure, the relation kinds, and the columns of relations read light.
    expect((shapes[0] as string[]).length / 2 - 3).toBe(QUERY_COUNT + 5);
  });
});
