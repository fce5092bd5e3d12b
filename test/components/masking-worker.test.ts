// The masking worker's own limits: a clone that does not answer fails within the connect timeout
// (not when TCP gives up), and a rules change masks only the columns it names.
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMaskingRules } from "../../audit/masking/index.ts";
import { onlyColumns, runMaskingRequest } from "../../components/masking-worker.ts";

const RULES =
  "tables:\n  public.customers:\n    email: email\n    phone: phone\n  public.orders:\n    shipping_name: name\n";

describe("runMaskingRequest", () => {
  it("gives up on a server that accepts TCP but never answers, within the connect timeout", async () => {
    // A black hole: the TCP handshake succeeds (as a security group that admits the port but a
    // database that is not there yet, or a proxy), and the startup message is never answered.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), "parity-worker-"));
    const rulesFile = join(dir, "masking.yaml");
    writeFileSync(rulesFile, RULES);
    const started = Date.now();
    try {
      await expect(
        runMaskingRequest({
          databaseUrl: `postgresql://u:p@127.0.0.1:${port}/shop`,
          rulesFile,
          key: "k".repeat(32),
          connectTimeoutMs: 300,
        }),
      ).rejects.toThrow(/cannot connect to the clone within 300 ms.*quarantine security group/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

describe("onlyColumns", () => {
  const rules = parseMaskingRules(RULES, "/r/masking.yaml");

  it("keeps just the named columns, dropping tables left empty", () => {
    const only = onlyColumns(rules, ["public.customers.phone"]);
    expect(only.tables).toEqual([
      { schema: "public", table: "customers", columns: { phone: { transform: "phone" } } },
    ]);
  });

  it("refuses a column the rules do not rule, naming it", () => {
    expect(() => onlyColumns(rules, ["public.customers.phone", "public.customers.ssn"])).toThrow(
      "/r/masking.yaml: no rule for public.customers.ssn",
    );
  });
});
