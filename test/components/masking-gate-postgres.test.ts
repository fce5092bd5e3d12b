// The masking gate end to end on a real PostgreSQL server: the default worker command (this Node
// with tsx running components/masking-worker.ts) masks a freshly "restored" database through the
// masking library, deterministically; a failed run refuses and leaves the data untouched.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultMaskingCommand } from "../../components/environment.ts";
import { maskingGateProvider } from "../../components/masking-gate.ts";
import { createTestDatabase, query } from "../support/databases.ts";

const SCHEMA = `
  CREATE TABLE customers (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    full_name text NOT NULL,
    email_verified boolean NOT NULL DEFAULT false
  );
  INSERT INTO customers (email, full_name, email_verified)
  SELECT 'person' || i || '@real-customer.example', 'Real Person ' || i, i % 2 = 0 FROM generate_series(1, 200) AS i;
`;

function rules(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "parity-gate-pg-")), "masking.yaml");
  writeFileSync(file, text);
  return file;
}

const RULES = `tables:
  public.customers:
    email: email
    full_name: name
    email_verified: { safe: "boolean flag" }
`;

function gateInputs(url: string, rulesFile: string) {
  const parsed = new URL(url);
  const { command, cwd } = defaultMaskingCommand();
  return {
    databaseIdentifier: "shop-staging",
    databaseResourceId: "db-TEST",
    host: parsed.hostname,
    port: Number(parsed.port),
    databaseName: parsed.pathname.slice(1),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    rulesFile,
    rulesDigest: "d",
    key: "the-shared-masking-key",
    command,
    cwd,
    sslMode: "disable",
  };
}

async function emails(url: string): Promise<string[]> {
  const rows = await query<{ email: string }>(url, "SELECT email FROM customers ORDER BY id");
  return rows.map((row) => row.email);
}

describe("masking gate on PostgreSQL", () => {
  it("masks two clones the same way before publishing them", async () => {
    // Restored from production's snapshot, a clone keeps production's database name.
    const first = await createTestDatabase(15, SCHEMA, { prefix: "shop_production" });
    const second = await createTestDatabase(15, SCHEMA);
    const rulesFile = rules(RULES);
    const provider = maskingGateProvider();
    const created = await provider.create(gateInputs(first.url, rulesFile));
    await provider.create(gateInputs(second.url, rulesFile));

    expect(created.outs).toMatchObject({
      tablesMasked: 1,
      rowsMasked: 200,
      host: new URL(first.url).hostname,
    });
    const masked = await emails(first.url);
    expect(masked).toHaveLength(200);
    expect(masked.some((email) => email.includes("real-customer"))).toBe(false);
    expect(new Set(masked).size).toBe(200);
    expect(await emails(second.url)).toEqual(masked);
  });

  it("masks only the newly ruled columns when the rules change on an existing clone", async () => {
    const database = await createTestDatabase(15, SCHEMA);
    const provider = maskingGateProvider();
    const emailOnly = `tables:\n  public.customers:\n    email: email\n    email_verified: { safe: "boolean flag" }\n`;
    const emailRuled = { "public.customers.email": "email", "public.customers.email_verified": "safe" };
    const created = await provider.create({
      ...gateInputs(database.url, rules(emailOnly)),
      ruledColumns: emailRuled,
    });
    const maskedEmails = await emails(database.url);
    const namesBefore = await query<{ full_name: string }>(
      database.url,
      "SELECT full_name FROM customers ORDER BY id",
    );
    expect(namesBefore[0]?.full_name).toBe("Real Person 1");

    await provider.update?.(created.id, created.outs, {
      ...gateInputs(database.url, rules(RULES)),
      rulesDigest: "d2",
      ruledColumns: { ...emailRuled, "public.customers.full_name": "name" },
    });
    const names = await query<{ full_name: string }>(
      database.url,
      "SELECT full_name FROM customers ORDER BY id",
    );
    expect(names.some((row) => row.full_name.startsWith("Real Person"))).toBe(false);
    // The emails, masked before, are left as they were: masking them again would break determinism.
    expect(await emails(database.url)).toEqual(maskedEmails);
  });

  it("fails clearly on a new masking key instead of masking new columns with it", async () => {
    const database = await createTestDatabase(15, SCHEMA);
    const provider = maskingGateProvider();
    const emailOnly = `tables:\n  public.customers:\n    email: email\n    email_verified: { safe: "boolean flag" }\n`;
    const emailRuled = { "public.customers.email": "email", "public.customers.email_verified": "safe" };
    const created = await provider.create({
      ...gateInputs(database.url, rules(emailOnly)),
      ruledColumns: emailRuled,
    });
    const before = await query(database.url, "SELECT * FROM customers ORDER BY id");
    const newKeyAndRules = {
      ...gateInputs(database.url, rules(RULES)),
      key: "a-rotated-masking-key",
      rulesDigest: "d2",
      ruledColumns: { ...emailRuled, "public.customers.full_name": "name" },
    };
    expect((await provider.diff?.(created.id, created.outs, newKeyAndRules))?.changes).toBe(true);
    await expect(provider.update?.(created.id, created.outs, newKeyAndRules)).rejects.toThrow(
      /the masking key changed since this clone was masked .*parity:cloneGeneration/,
    );

    // A state written before the gate recorded fingerprints: the worker reads the clone's own record.
    const { keyFingerprint: _none, ...legacy } = created.outs;
    await expect(provider.update?.(created.id, legacy, newKeyAndRules)).rejects.toThrow(
      /masking worker exited with code 1: this clone was masked at .* with another masking key .*parity:cloneGeneration/s,
    );
    expect(await query(database.url, "SELECT * FROM customers ORDER BY id")).toEqual(before);
    // With the key it was masked with, the same legacy state is checked, recorded and topped up.
    const updated = await provider.update?.(created.id, legacy, {
      ...newKeyAndRules,
      key: "the-shared-masking-key",
    });
    expect(updated?.outs.keyFingerprint).toBe(created.outs.keyFingerprint);
    const names = await query<{ full_name: string }>(
      database.url,
      "SELECT full_name FROM customers ORDER BY id",
    );
    expect(names.some((row) => row.full_name.startsWith("Real Person"))).toBe(false);
  });

  it("refuses, and leaves the data alone, when masking fails", async () => {
    const database = await createTestDatabase(15, SCHEMA);
    const rulesFile = rules(`tables:\n  public.customers:\n    email: email\n    no_such_column: name\n`);
    await expect(maskingGateProvider().create(gateInputs(database.url, rulesFile))).rejects.toThrow(
      /masking worker exited with code 1: .*no_such_column/s,
    );
    expect((await emails(database.url))[0]).toBe("person1@real-customer.example");
  });
});
