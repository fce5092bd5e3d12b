// Shared pieces of the promote tests: a staging and a production database on one shared server, a
// parity config for them, an in-memory record log (the core's PromotionLog; the CLI tests use the
// real signed log), and cleanup of every database a promotion made (template copies, moved-aside).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { loadParityConfig } from "../../audit/parity-config/load.ts";
import type { ParityConfig } from "../../audit/parity-config/types.ts";
import type { PromotionLog } from "../../audit/promote/promotion-log.ts";
import { canonicalJson, sha256Hex } from "../../audit/promote/record/canonical-json.ts";
import type { SignedRecord } from "../../audit/promote/record/record-file.ts";
import { introspectDatabase } from "../../audit/schema/introspect.ts";
import type { DatabaseSnapshot } from "../../audit/schema/model.ts";
import { createTestDatabase, serverUrl, type TestDatabase } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";

export const BASE = `
create table public.customers (id bigint primary key, email text not null, note text);
insert into public.customers select g, 'c' || g || '@example.com', null from generate_series(1, 50) g;`;

/** Staging's planted change: a new column and an index on it. */
export const STAGING_CHANGE = `
alter table public.customers add column loyalty_tier text;
create index customers_loyalty_tier_idx on public.customers (loyalty_tier);`;

export interface Pair {
  staging: TestDatabase;
  production: TestDatabase;
  dir: string;
  configFile: string;
  config: ParityConfig;
}

export async function makePair(
  major: EmbeddedMajor,
  sql: { staging: string; production: string },
  extraConfig = "",
  files: Record<string, string> = {},
): Promise<Pair> {
  const [staging, production] = await Promise.all([
    createTestDatabase(major, sql.staging, { prefix: "pr_stg" }),
    createTestDatabase(major, sql.production, { prefix: "pr_prod" }),
  ]);
  const dir = await mkdtemp(join(tmpdir(), "parity-promote-"));
  onTestFinished(async () => {
    await rm(dir, { recursive: true, force: true });
    await dropDerived(major, [staging.name, production.name]);
  });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const configFile = join(dir, "parity.config.yaml");
  await writeFile(
    configFile,
    [
      "baseline: production",
      "environments:",
      "  production:",
      `    database: { url: "${production.url}" }`,
      ...(files["production.env"] ? ["    config: { dotenv: { file: production.env } }"] : []),
      "  staging:",
      `    database: { url: "${staging.url}" }`,
      ...(files["staging.env"] ? ["    config: { dotenv: { file: staging.env } }"] : []),
      extraConfig,
      "",
    ].join("\n"),
  );
  return { staging, production, dir, configFile, config: await loadParityConfig(configFile) };
}

/** Drops what promotions made of these databases: `<name>_pp_…` copies and `<name>_undone_…`. */
export async function dropDerived(major: EmbeddedMajor, names: readonly string[]): Promise<void> {
  await withClient(serverUrl(major), async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE ANY($1::text[])",
      [names.map((name) => `${name}_%`)],
    );
    for (const row of rows)
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`);
  });
}

export async function databasesLike(major: EmbeddedMajor, name: string): Promise<string[]> {
  return withClient(serverUrl(major), async (client) =>
    (
      await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1",
        [`${name}_%`],
      )
    ).rows.map((row) => row.datname),
  );
}

export function memoryLog(): PromotionLog & { records: SignedRecord[] } {
  const records: SignedRecord[] = [];
  return {
    where: "memory",
    records,
    async append(body) {
      const full = { ...body, previousHash: records.at(-1)?.hash ?? null };
      const hash = sha256Hex(canonicalJson(full));
      const record = { body: full, hash, signature: "test", keyId: "test" } as SignedRecord;
      records.push(record);
      return record;
    },
    async list() {
      return [...records];
    },
  };
}

export function schemaOf(url: string): Promise<DatabaseSnapshot> {
  return introspectDatabase(url);
}

export async function columnsOf(url: string, table = "customers"): Promise<string[]> {
  return withClient(url, async (client) =>
    (
      await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY 1",
        [table],
      )
    ).rows.map((row) => row.column_name),
  );
}
