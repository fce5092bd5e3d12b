// An interrupted `parity clone` leaves nothing under the target's name (the copy is built under a
// temporary name and renamed only once masked), and the next clone removes what it left.
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { ParityInputError } from "../../audit/core/errors.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { cloneCommand } from "../../audit/masking/clone-database.ts";
import { listCloneLeftovers } from "../../audit/masking/leftovers.ts";
import { createTestDatabase, databaseUrl, query, serverUrl } from "../support/databases.ts";
import { KEY, SHOP_RULES_YAML, SHOP_SQL } from "./fixtures.ts";

let rulesFile: string;
beforeAll(async () => {
  rulesFile = join(await mkdtemp(join(tmpdir(), "parity-clone-kill-")), "masking.yaml");
  await writeFile(rulesFile, SHOP_RULES_YAML);
});

const CHILD = new URL("./support/interrupted-clone.ts", import.meta.url).pathname;

async function interruptedClone(from: string, to: string, step: string, signal: string, replace = false) {
  const result = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", CHILD, from, to, rulesFile, step, signal, ...(replace ? ["replace"] : [])],
    {
      env: { ...process.env, PARITY_MASKING_KEY: KEY },
    },
  ).then(
    (ok) => ({ killed: false, stdout: ok.stdout }),
    (error: { signal?: string; stderr?: string }) => ({
      killed: error.signal === signal,
      stdout: error.stderr ?? "",
    }),
  );
  return result;
}

// Enough rows that masking outlasts the child's 300 ms before it kills itself mid-mask, even on an
// idle machine (the shop's 1,000 customers mask in less than that).
const BULK_CUSTOMERS = `
  insert into customers (tenant_id, email, full_name, phone, street, notes)
    select 1 + i % 2, 'bulk' || i || '@corp.example', 'Bulk ' || i, '+44 20 8000 ' || i, i || ' Low Road', 'n' || i
      from generate_series(1, 60000) i;`;

const exists = async (name: string) =>
  (await query(serverUrl(15), "select 1 from pg_database where datname = $1", [name])).length > 0;

describe("parity clone interrupted", () => {
  it.each([
    ["copy", "SIGKILL"],
    ["mask", "SIGKILL"],
    ["mask", "SIGTERM"],
    ["rename", "SIGKILL"],
  ])(
    "at %s by %s leaves no database under the target name; the next run removes the leftover",
    async (step, signal) => {
      const source = await createTestDatabase(15, step === "mask" ? SHOP_SQL + BULK_CUSTOMERS : SHOP_SQL);
      const name = `${source.name}_staging`;
      onTestFinished(async () => {
        await withClient(serverUrl(15), (client) =>
          client.query(`drop database if exists ${quoteIdent(name)} with (force)`),
        );
      });
      const run = await interruptedClone(source.url, name, step, signal);
      expect(run.killed).toBe(true);
      expect(await exists(name)).toBe(false);

      const leftovers = await withClient(serverUrl(15), (client) => listCloneLeftovers(client));
      const mine = leftovers.filter(
        (leftover) =>
          leftover.comment?.includes(`building ${name}`) || leftover.comment?.startsWith("parity-masked "),
      );
      // Killed before the copy exists there is nothing to leave; from the mask step on there is.
      if (step !== "copy") expect(mine.length).toBeGreaterThan(0);

      process.env.PARITY_MASKING_KEY = KEY;
      try {
        const result = await cloneCommand({ from: source.url, to: name, rules: rulesFile });
        for (const leftover of mine) expect(result.removedLeftovers).toContain(leftover.database);
      } finally {
        delete process.env.PARITY_MASKING_KEY;
      }
      const [row] = await query<{ n: string }>(
        databaseUrl(15, name),
        "select count(*) as n from customers where email like '%corp.example'",
      );
      expect(row?.n).toBe("0");
      for (const leftover of mine) expect(await exists(leftover.database)).toBe(false);
    },
  );

  it("parity audit reports what a clone killed during the mask left on staging's server, until the next clone removes it", async () => {
    const source = await createTestDatabase(15, SHOP_SQL + BULK_CUSTOMERS);
    const name = `${source.name}_staging`;
    onTestFinished(async () => {
      await withClient(serverUrl(15), (client) =>
        client.query(`drop database if exists ${quoteIdent(name)} with (force)`),
      );
    });
    process.env.PARITY_MASKING_KEY = KEY;
    try {
      await cloneCommand({ from: source.url, to: name, rules: rulesFile });
    } finally {
      delete process.env.PARITY_MASKING_KEY;
    }
    const dir = await mkdtemp(join(tmpdir(), "parity-clone-audit-"));
    await writeFile(
      join(dir, "parity.config.yaml"),
      `baseline: production\nenvironments:\n  production:\n    database: { url: "\${SOURCE}" }\n  staging:\n    database: { url: "\${STAGING}" }\n`,
    );
    const audit = async () => {
      const { result } = await auditCommand({
        cwd: dir,
        registry: defaultRegistry,
        reporters: ["json=report.json"],
        variables: { SOURCE: source.url, STAGING: databaseUrl(15, name) },
      });
      return result.findings.filter((finding) => finding.ruleId === "data/clone-leftover");
    };
    expect(await audit()).toEqual([]);

    // The nightly refresh (--replace) is killed while masking: staging keeps yesterday's copy.
    const run = await interruptedClone(source.url, name, "mask", "SIGKILL", true);
    expect(run.killed).toBe(true);
    const [leftover] = await withClient(serverUrl(15), (client) => listCloneLeftovers(client)).then((all) =>
      all.filter((one) => one.comment?.includes(`building ${name},`)),
    );
    expect(leftover).toBeDefined();
    const findings = await audit();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: "error",
      location: { environment: "staging", objectType: "database", object: leftover?.database },
    });
    expect(findings[0]?.message).toMatch(
      new RegExp(
        `^${leftover?.database} on staging's server is what an interrupted parity clone building ${name} left \\d+ s ago; it may hold unmasked rows of the source\\. The next parity clone to this server removes it, or now: DROP DATABASE "${leftover?.database}" WITH \\(FORCE\\)$`,
      ),
    );

    process.env.PARITY_MASKING_KEY = KEY;
    try {
      const again = await cloneCommand({ from: source.url, to: name, rules: rulesFile, replace: true });
      expect(again.removedLeftovers).toContain(leftover?.database);
    } finally {
      delete process.env.PARITY_MASKING_KEY;
    }
    expect(await audit()).toEqual([]);
  });

  it("--replace never drops a database parity did not create", async () => {
    const source = await createTestDatabase(15, SHOP_SQL);
    const precious = await createTestDatabase(
      15,
      "create table keep_me (id int); insert into keep_me values (1);",
    );
    process.env.PARITY_MASKING_KEY = KEY;
    try {
      const refused = cloneCommand({ from: source.url, to: precious.name, rules: rulesFile, replace: true });
      await expect(refused).rejects.toThrow(ParityInputError);
      await expect(refused).rejects.toThrow(/was not made by parity clone .* so --replace will not drop it/);
    } finally {
      delete process.env.PARITY_MASKING_KEY;
    }
    expect(await query(precious.url, "select id from keep_me")).toEqual([{ id: 1 }]);
  });
});
