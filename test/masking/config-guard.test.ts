// The production guard reads parity.config.yaml: `parity mask` and the target of `parity clone` are
// refused when the config's baseline, or an environment named production/prod, points at that
// database (resolved address, port and database name), unless --i-know-this-is-not-production. Through the real
// CLI entry, on real PostgreSQL.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import {
  databaseAddress,
  type GuardConfig,
  refuseConfiguredProduction,
} from "../../audit/masking/config-guard.ts";
import type { ParityConfig } from "../../audit/parity-config/types.ts";
import { runCli as run } from "../support/cli.ts";
import { createTestDatabase, databaseUrl, query, serverUrl } from "../support/databases.ts";
import { KEY, SHOP_RULES_YAML, SHOP_SQL, snapshotRows } from "./fixtures.ts";

let dir: string;
let rulesFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parity-mask-guard-"));
  rulesFile = join(dir, "masking.yaml");
  await writeFile(rulesFile, SHOP_RULES_YAML);
});

afterEach(() => {
  delete process.env.PARITY_MASKING_KEY;
  delete process.env.PARITY_TEST_PROD_URL;
});

/** A config with `production` (the baseline), `prod` and `staging`, each at the URL given. */
async function configWith(urls: { production: string; prod?: string; staging: string }): Promise<string> {
  const file = join(dir, `parity-${Math.random().toString(36).slice(2)}.config.yaml`);
  const env = (name: string, url: string | undefined) =>
    url ? `  ${name}:\n    database: { url: ${JSON.stringify(url)} }\n` : "";
  await writeFile(
    file,
    `baseline: production\nenvironments:\n${env("production", urls.production)}${env("prod", urls.prod)}${env("staging", urls.staging)}`,
  );
  return file;
}

/** The same database under another user and password: the guard matches host, port and name only. */
function otherLogin(url: string): string {
  const parsed = new URL(url);
  parsed.username = "auditor";
  parsed.password = "s3cret";
  parsed.search = "?sslmode=disable";
  return parsed.toString();
}

describe("production guard from the parity config", () => {
  it("refuses to mask the baseline's database, says which environment and file, and changes nothing", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const config = await configWith({
      production: otherLogin(database.url),
      staging: "postgres://x/staging",
    });
    const before = await snapshotRows(database.url);
    process.env.PARITY_MASKING_KEY = KEY;

    const refused = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--config",
      config,
    );
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `refusing to mask ${databaseAddress(database.url)}: it is the database of environment "production" in ${config} (the baseline and named production)`,
    );
    expect(refused.stderr).toContain("--i-know-this-is-not-production");
    expect(refused.stderr).not.toContain("s3cret");
    // --dry-run writes nothing, but rewrites rows inside its transaction: refused too.
    const dryRun = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--config",
      config,
      "--dry-run",
    );
    expect(dryRun.exitCode).toBe(2);
    expect(await snapshotRows(database.url)).toEqual(before);

    const confirmed = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--config",
      config,
      "--i-know-this-is-not-production",
    );
    expect(confirmed.exitCode).toBe(0);
    expect(await snapshotRows(database.url)).not.toEqual(before);
  });

  it.each([
    ["localhost", "localhost"],
    ["127.1", "127.1"],
    ["LOCALHOST", "LOCALHOST"],
  ])(
    "refuses the production database spelled %s instead of 127.0.0.1, and masks nothing",
    async (_label, host) => {
      const database = await createTestDatabase(15, SHOP_SQL);
      expect(new URL(database.url).hostname).toBe("127.0.0.1");
      const config = await configWith({ production: database.url, staging: "postgres://x/staging" });
      const respelled = new URL(database.url);
      respelled.hostname = host;
      const before = await snapshotRows(database.url);
      process.env.PARITY_MASKING_KEY = KEY;
      const refused = await run(
        "mask",
        "--database-url",
        respelled.toString(),
        "--rules",
        rulesFile,
        "--config",
        config,
      );
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain(`it is the database of environment "production" in ${config}`);
      expect(refused.stderr).toContain(`there written ${databaseAddress(database.url)}`);
      expect(await snapshotRows(database.url)).toEqual(before);
    },
  );

  it("refuses an environment named prod too, and masks a database the config calls staging", async () => {
    const production = await createTestDatabase(15, SHOP_SQL);
    const staging = await createTestDatabase(15, SHOP_SQL);
    const config = await configWith({
      production: "postgres://db.example.invalid/shop",
      prod: production.url,
      staging: staging.url,
    });
    process.env.PARITY_MASKING_KEY = KEY;
    const refused = await run(
      "mask",
      "--database-url",
      production.url,
      "--rules",
      rulesFile,
      "--config",
      config,
    );
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('environment "prod"');
    expect(refused.stderr).toContain("(named prod)");
    const masked = await run("mask", "--database-url", staging.url, "--rules", rulesFile, "--config", config);
    expect(masked.stderr).toBe("");
    expect(masked.exitCode).toBe(0);
  });

  it("refuses to clone into the production database's name, and creates nothing", async () => {
    const source = await createTestDatabase(15, SHOP_SQL);
    // A name with no production word in it: only the config says it is production.
    const target = `${source.name}_shop`;
    onTestFinished(async () => {
      await withClient(serverUrl(15), (client) =>
        client.query(`drop database if exists ${quoteIdent(target)} with (force)`),
      );
    });
    const config = await configWith({ production: databaseUrl(15, target), staging: "postgres://x/staging" });
    process.env.PARITY_MASKING_KEY = KEY;
    const refused = await run(
      "clone",
      "--from",
      source.url,
      "--to",
      target,
      "--rules",
      rulesFile,
      "--config",
      config,
    );
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `refusing to clone into ${databaseAddress(databaseUrl(15, target))}: it is the database of environment "production"`,
    );
    expect(await query(serverUrl(15), "select 1 from pg_database where datname = $1", [target])).toEqual([]);
    // Cloning FROM production is what clone is for: a config naming the source is no obstacle.
    const sourceConfig = await configWith({ production: source.url, staging: "postgres://x/staging" });
    const cloned = await run(
      "clone",
      "--from",
      source.url,
      "--to",
      target,
      "--rules",
      rulesFile,
      "--config",
      sourceConfig,
    );
    expect(cloned.exitCode).toBe(0);
  });

  it("warns when production's URL is a variable not set here, and fails on a config it cannot read", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const config = await configWith({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax, expanded by parity
      production: "${PARITY_TEST_PROD_URL}",
      staging: "postgres://x/staging",
    });
    process.env.PARITY_MASKING_KEY = KEY;
    const warned = await run(
      "mask",
      "--database-url",
      database.url,
      "--rules",
      rulesFile,
      "--config",
      config,
    );
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toContain(
      `parity: warning: cannot tell whether the database is environment "production" of ${config}`,
    );

    // With the variable set, the same config refuses.
    const again = await createTestDatabase(15, SHOP_SQL);
    process.env.PARITY_TEST_PROD_URL = again.url;
    const refused = await run("mask", "--database-url", again.url, "--rules", rulesFile, "--config", config);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('environment "production"');

    const missing = join(dir, "no-such.yaml");
    const unreadable = await run(
      "mask",
      "--database-url",
      again.url,
      "--rules",
      rulesFile,
      "--config",
      missing,
    );
    expect(unreadable.exitCode).toBe(2);
    expect(unreadable.stderr).toContain(`cannot check the database against ${missing}`);
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "baseline: nowhere\nenvironments: {}\n");
    const invalid = await run("mask", "--database-url", again.url, "--rules", rulesFile, "--config", broken);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain(`cannot check the database against ${broken}`);
  });

  it("finds parity.config.yaml as parity audit does when --config is not given", async () => {
    // The repository's own config (production's URL is a CI secret, unset here) is the one found.
    const database = await createTestDatabase(15, SHOP_SQL);
    process.env.PARITY_MASKING_KEY = KEY;
    const result = await run("mask", "--database-url", database.url, "--rules", rulesFile, "--dry-run");
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/environment "production" of .*\/parity\.config\.yaml/);
  });
});

describe("refuseConfiguredProduction, by resolved address", () => {
  const guardFor = (url: string): GuardConfig => ({
    config: { file: "/etc/parity.config.yaml" } as unknown as ParityConfig,
    protected: [
      { environment: "production", reason: "the baseline", address: databaseAddress(url) as string, url },
    ],
    unresolved: [],
  });
  // A CNAME (an RDS cluster endpoint) and the address it names, without real DNS.
  const resolve = async (host: string) =>
    ({
      "shop.cluster-abc.eu-west-1.rds.amazonaws.com": ["10.1.2.3"],
      "shop-1.abc.eu-west-1.rds.amazonaws.com": ["10.1.2.3"],
    })[host] ?? [];

  it("refuses another name of the same address, port and database", async () => {
    const guard = guardFor("postgres://admin:pw@shop.cluster-abc.eu-west-1.rds.amazonaws.com/shop");
    await expect(
      refuseConfiguredProduction(
        "postgres://shop-1.abc.eu-west-1.rds.amazonaws.com/shop",
        guard,
        false,
        "mask",
        resolve,
      ),
    ).rejects.toThrow(
      /environment "production" in \/etc\/parity\.config\.yaml \(the baseline\), there written shop\.cluster-abc/,
    );
    await expect(
      refuseConfiguredProduction("postgres://10.1.2.3:5432/shop", guard, false, "mask", resolve),
    ).rejects.toThrow(/refusing to mask 10\.1\.2\.3:5432\/shop/);
  });

  it("lets through another database, another port or another address, and never prints the password", async () => {
    const guard = guardFor("postgres://admin:pw@shop.cluster-abc.eu-west-1.rds.amazonaws.com/shop");
    for (const url of [
      "postgres://10.1.2.3/shop_staging",
      "postgres://10.1.2.3:6432/shop",
      "postgres://10.9.9.9/shop",
    ]) {
      await expect(refuseConfiguredProduction(url, guard, false, "mask", resolve)).resolves.toBeUndefined();
    }
    const refused = refuseConfiguredProduction("postgres://10.1.2.3/shop", guard, false, "mask", resolve);
    await expect(refused).rejects.not.toThrow(/pw/);
  });
});
