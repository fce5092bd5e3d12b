// The mask and clone commands through the real CLI entry (main), and one smoke run of bin/parity.js.
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, databaseUrl, query, serverUrl } from "../support/databases.ts";
import { KEY, SHOP_RULES_YAML, SHOP_SQL, snapshotRows } from "./fixtures.ts";

let rulesFile: string;
let badRulesFile: string;
/** A parity config whose production is elsewhere: the guard reads it and lets the tests' databases by. */
let configFile: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "parity-mask-cli-"));
  rulesFile = join(dir, "masking.yaml");
  badRulesFile = join(dir, "bad-masking.yaml");
  await writeFile(rulesFile, SHOP_RULES_YAML);
  await writeFile(badRulesFile, "tables:\n  customers:\n    email: scramble\n");
  configFile = join(dir, "parity.config.yaml");
  await writeFile(
    configFile,
    "baseline: production\nenvironments:\n  production:\n    database: { url: 'postgres://db.example.invalid/shop' }\n  staging:\n    database: { url: 'postgres://db.example.invalid/staging' }\n",
  );
});

afterEach(() => {
  delete process.env.PARITY_MASKING_KEY;
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

const run = runCli;

function hasClientTools(): boolean {
  try {
    const version = execFileSync("pg_dump", ["--version"]).toString();
    execFileSync("psql", ["--version"]);
    return Number(/\) (\d+)/.exec(version)?.[1] ?? 0) >= 13;
  } catch {
    return false;
  }
}

/** Drops `name` on the server of `major` when the test ends. */
function dropAfter(major: 13 | 15, name: string) {
  return async () => {
    await withClient(serverUrl(major), (client) =>
      client.query(`drop database if exists ${quoteIdent(name)} with (force)`),
    );
  };
}

describe("parity mask", () => {
  it("masks with the key from PARITY_MASKING_KEY and exits 0", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    process.env.PARITY_MASKING_KEY = KEY;
    const result = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--batch-size",
      "500",
      "--config",
      configFile,
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^masked 4700 rows in 5 tables/);
    expect(result.stdout).toContain("customer_email=email (follows public.customers.email)");
    const [row] = await query<{ n: string }>(
      database.url,
      "select count(*) as n from customers where email like '%corp%'",
    );
    expect(row?.n).toBe("0");
  });

  it("refuses with exit 2 and changes nothing when the key is missing", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const before = await snapshotRows(database.url);
    const result = await run("mask", "--database-url", database.url, "--rules", rulesFile);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no masking key: set PARITY_MASKING_KEY or pass --key-ssm-parameter");
    expect(await snapshotRows(database.url)).toEqual(before);
  });

  it("reports a missing key and a broken rules file together", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const result = await run("mask", "--database-url", database.url, "--rules", badRulesFile);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no masking key: set PARITY_MASKING_KEY or pass --key-ssm-parameter");
    expect(result.stderr).toContain(
      `${badRulesFile}: tables.customers.email: expected one of email, email-case-sensitive, name`,
    );
  });

  it("exits 2 naming the file and rule path for a bad rules file", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    process.env.PARITY_MASKING_KEY = KEY;
    const result = await run("mask", "--database-url", database.url, "--rules", badRulesFile);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${badRulesFile}: tables.customers.email: expected one of email, email-case-sensitive, name`,
    );
  });

  it("exits 2 naming the database (without its password) when it cannot connect", async () => {
    process.env.PARITY_MASKING_KEY = KEY;
    const url = new URL(databaseUrl(15, "no_such_database"));
    url.password = "hunter2";
    const masked = await run("mask", "--database-url", url.toString(), "--rules", rulesFile);
    expect(masked.exitCode).toBe(2);
    expect(masked.stderr).toMatch(
      /cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_database/,
    );
    expect(masked.stderr).not.toContain("hunter2");
    const cloned = await run("clone", "--from", url.toString(), "--to", "anything", "--rules", rulesFile);
    expect(cloned.exitCode).toBe(2);
    expect(cloned.stderr).toContain("cannot connect to");
  });

  it("exits 2 on usage errors", async () => {
    process.env.PARITY_MASKING_KEY = KEY;
    expect((await run("mask", "--rules", rulesFile)).exitCode).toBe(2);
    expect(
      (await run("mask", "--database-url", "postgres://x/y", "--rules", rulesFile, "--batch-size", "0"))
        .exitCode,
    ).toBe(2);
  });

  it("--check validates the rules against the database without a key and without changing it", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const before = await snapshotRows(database.url);
    const fits = await run("mask", "--database-url", database.url, "--rules", rulesFile, "--check");
    expect(fits.exitCode).toBe(0);
    expect(fits.stdout).toMatch(
      /^rules fit: 11 columns in 5 tables would be masked \(3 by following a foreign key\)/,
    );
    expect(fits.stdout).toContain("phone=phone (unique form)");
    expect(await snapshotRows(database.url)).toEqual(before);

    await query(database.url, "alter table customers drop column street");
    const stale = await run("mask", "--database-url", database.url, "--rules", rulesFile, "--check");
    expect(stale.exitCode).toBe(2);
    expect(stale.stderr).toContain(
      `${rulesFile}: tables.public.customers.street: no such column in the database`,
    );
  });

  it("reads the key from an SSM parameter (decrypted) when one is named", async () => {
    const requests: Array<{ target: string | undefined; body: Record<string, unknown> }> = [];
    const ssm: Server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        requests.push({ target: request.headers["x-amz-target"] as string | undefined, body: parsed });
        response.setHeader("content-type", "application/x-amz-json-1.1");
        if (parsed.Name !== "/shop/masking-key") {
          response.statusCode = 400;
          response.end(JSON.stringify({ __type: "ParameterNotFound", message: "no such parameter" }));
          return;
        }
        response.end(
          JSON.stringify({ Parameter: { Name: parsed.Name, Type: "SecureString", Value: KEY, Version: 1 } }),
        );
      });
    });
    await new Promise<void>((resolve) => ssm.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`;
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    try {
      const [fromSsm, fromEnv] = [
        await createTestDatabase(15, SHOP_SQL),
        await createTestDatabase(15, SHOP_SQL),
      ];
      const viaSsm = await run(
        "mask",
        "--database-url",
        fromSsm.url,
        "--rules",
        rulesFile,
        "--key-ssm-parameter",
        "/shop/masking-key",
        "--region",
        "eu-west-1",
        "--ssm-endpoint",
        endpoint,
      );
      expect(viaSsm.exitCode).toBe(0);
      expect(requests).toEqual([
        { target: "AmazonSSM.GetParameter", body: { Name: "/shop/masking-key", WithDecryption: true } },
      ]);
      process.env.PARITY_MASKING_KEY = KEY;
      expect((await run("mask", "--database-url", fromEnv.url, "--rules", rulesFile)).exitCode).toBe(0);
      // Same key either way, so the same masked rows (accounts differ only by their created_at default).
      const [ssmRows, envRows] = [await snapshotRows(fromSsm.url), await snapshotRows(fromEnv.url)];
      expect(ssmRows.customers).toEqual(envRows.customers);
      expect(ssmRows.orders).toEqual(envRows.orders);

      const missing = await run(
        "mask",
        "--database-url",
        fromEnv.url,
        "--rules",
        rulesFile,
        "--key-ssm-parameter",
        "/shop/nope",
        "--region",
        "eu-west-1",
        "--ssm-endpoint",
        endpoint,
      );
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain(
        "cannot read the masking key from SSM parameter /shop/nope: ParameterNotFound",
      );
    } finally {
      vi.unstubAllEnvs();
      await new Promise((resolve) => ssm.close(resolve));
    }
  });
});

describe("parity mask guards, --dry-run and --check", () => {
  it("refuses a production-looking name unless confirmed, and warns about a password in argv", async () => {
    const database = await createTestDatabase(15, SHOP_SQL, { prefix: "shop_production" });
    process.env.PARITY_MASKING_KEY = KEY;
    const url = new URL(database.url);
    url.password = "typed-in-argv";
    const refused = await run("mask", "--database-url", url.toString(), "--rules", rulesFile);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`the database name "${database.name}" looks like production`);
    expect(refused.stderr).toContain("carries a password, which other local users can read");
    expect(refused.stderr).not.toContain("typed-in-argv");
    const confirmed = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--i-know-this-is-not-production",
    );
    expect(confirmed.exitCode).toBe(0);
    expect(confirmed.stdout).toContain("rewritten into fresh files and analyzed: public.accounts");
    const again = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--i-know-this-is-not-production",
    );
    expect(again.stdout).toMatch(/^already masked with this key and these rules/);
  });

  it("refuses while another session is connected, unless allowed", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    process.env.PARITY_MASKING_KEY = KEY;
    const other = new pg.Client({ connectionString: database.url, application_name: "someone-writing" });
    other.on("error", () => undefined);
    await other.connect();
    try {
      const refused = await run("mask", "--database-url", database.url, "--rules", rulesFile);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/1 other session\(s\) are connected .* --allow-other-sessions/);
      expect(refused.stderr).toContain("someone-writing");
      const allowed = await run(
        "mask",
        "--database-url",
        database.url,
        "--rules",
        rulesFile,
        "--allow-other-sessions",
      );
      expect(allowed.exitCode).toBe(0);
    } finally {
      await other.end().catch(() => undefined);
    }
  });

  it("--dry-run prints counts and masked samples, never an original, and writes nothing", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const before = await snapshotRows(database.url);
    process.env.PARITY_MASKING_KEY = KEY;
    const result = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--dry-run",
      "--config",
      configFile,
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^dry run: would mask 4700 rows in 5 tables \(rolled back, nothing written\)/,
    );
    expect(result.stdout).toMatch(
      /public\.customers\.email \(email\): 1000 rows, 500 → 500 distinct, e\.g\. "[0-9a-f]{16}@example\.com"/,
    );
    expect(result.stdout).toMatch(/public\.customers\.phone \(phone\): 1000 rows, 1000 → 1000 distinct/);
    expect(result.stdout).not.toMatch(/corp\.example|Person \d|High Street|called on/);
    expect(await snapshotRows(database.url)).toEqual(before);
  });

  it("--check says exactly which CHECK constraint masked values would break, before anything is written", async () => {
    const database = await createTestDatabase(
      15,
      `${SHOP_SQL} alter table customers add constraint uk_phone check (phone ~ '^\\+44 ');`,
    );
    const result = await run("mask", "--database-url", database.url, "--rules", rulesFile, "--check");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /tables\.public\.customers: masked values of phone violate CHECK constraint uk_phone \(\(phone ~ .\^\\\+44 .::text\)\) in \d+ row\(s\)/,
    );
    await query(database.url, "alter table customers drop constraint uk_phone");
    const fits = await run("mask", "--database-url", database.url, "--rules", rulesFile, "--check");
    expect(fits.exitCode).toBe(0);
    expect(fits.stdout).toContain(
      "masked values fit every CHECK constraint, domain, length and unique index",
    );
  });
});

describe("parity clone", () => {
  it("copies with CREATE DATABASE … TEMPLATE, masks the copy, leaves the source alone and prints step times", async () => {
    const source = await createTestDatabase(15, SHOP_SQL);
    const before = await snapshotRows(source.url);
    const name = `${source.name}_staging`;
    onTestFinished(dropAfter(15, name));
    process.env.PARITY_MASKING_KEY = KEY;

    const result = await run(
      "clone",
      "--from",
      source.url,
      "--to",
      name,
      "--rules",
      rulesFile,
      "--config",
      configFile,
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\(template\), masked 4700 rows in 5 tables/);
    expect(result.stdout).toMatch(/copy \(CREATE DATABASE … TEMPLATE\)\s+\d+\.\d\ds/);
    expect(result.stdout).toMatch(/mask\s+\d+\.\d\ds/);
    expect(result.stdout).toMatch(/total\s+\d+\.\d\ds/);
    expect(await snapshotRows(source.url)).toEqual(before);
    const clone = await snapshotRows(databaseUrl(15, name));
    expect(clone.tenants).toEqual(before.tenants);
    expect(clone.customers).not.toEqual(before.customers);

    const again = await run("clone", "--from", source.url, "--to", name, "--rules", rulesFile);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`database "${name}" already exists; pass --replace`);
    const replaced = await run(
      "clone",
      "--from",
      source.url,
      "--to",
      name,
      "--rules",
      rulesFile,
      "--replace",
    );
    expect(replaced.exitCode).toBe(0);
    expect(await snapshotRows(databaseUrl(15, name))).toEqual(clone);
  });

  it("waits for other sessions on the source, then errors clearly or terminates them when asked", async () => {
    const source = await createTestDatabase(15, SHOP_SQL);
    const name = `${source.name}_copy`;
    onTestFinished(dropAfter(15, name));
    process.env.PARITY_MASKING_KEY = KEY;
    const other = new pg.Client({ connectionString: source.url, application_name: "someone-else" });
    other.on("error", () => undefined);
    await other.connect();
    try {
      const refused = await run(
        "clone",
        "--from",
        source.url,
        "--to",
        name,
        "--rules",
        rulesFile,
        "--wait",
        "1",
      );
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/1 other session\(s\) are connected to .* --terminate-connections/);
      expect(refused.stderr).toContain("(someone-else)");
      const forced = await run(
        "clone",
        "--from",
        source.url,
        "--to",
        name,
        "--rules",
        rulesFile,
        "--terminate-connections",
      );
      expect(forced.exitCode).toBe(0);
    } finally {
      await other.end().catch(() => undefined);
    }
  });

  // pg_dump/psql are not npm packages: a machine without them (a bare CI image) cannot run this path.
  it.skipIf(!hasClientTools())("copies across servers with pg_dump | psql (PostgreSQL 13 → 15)", async () => {
    const source = await createTestDatabase(13, SHOP_SQL);
    const name = `${source.name}_on15`;
    onTestFinished(dropAfter(15, name));
    process.env.PARITY_MASKING_KEY = KEY;
    const result = await run(
      "clone",
      "--from",
      source.url,
      "--to",
      databaseUrl(15, name),
      "--rules",
      rulesFile,
      "--config",
      configFile,
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\(dump-restore\), masked 4700 rows/);
    const [row] = await query<{ n: string }>(databaseUrl(15, name), "select count(*) as n from orders");
    expect(row?.n).toBe("2000");
  });

  it("drops the copy when masking fails, so no unmasked clone is left", async () => {
    const source = await createTestDatabase(
      15,
      `${SHOP_SQL} alter table orders add constraint keep_real check (customer_email like '%corp.example');`,
    );
    const name = `${source.name}_broken`;
    process.env.PARITY_MASKING_KEY = KEY;
    const result = await run("clone", "--from", source.url, "--to", name, "--rules", rulesFile);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("check constraint");
    const exists = await query(serverUrl(15), "select 1 from pg_database where datname = $1", [name]);
    expect(exists).toEqual([]);
  });
});

describe("bin/parity.js", () => {
  it("runs parity mask end to end in a child process", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["bin/parity.js", "mask", "--database-url", database.url, "--rules", rulesFile],
      { env: { ...process.env, PARITY_MASKING_KEY: KEY } },
    );
    expect(stdout).toMatch(/^masked 4700 rows in 5 tables/);
    const missingKey = await promisify(execFile)(
      process.execPath,
      ["bin/parity.js", "mask", "--database-url", database.url, "--rules", rulesFile],
      { env: { ...process.env, PARITY_MASKING_KEY: "" } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(missingKey).toMatchObject({ code: 2, stderr: expect.stringContaining("no masking key") });
  });
});
