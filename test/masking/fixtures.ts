// A small shop schema with the references masking must keep intact: a composite foreign key
// (orders → customers), single-column keys referenced from two tables (accounts.login), a unique
// phone column, and a partitioned table.
import { randomBytes } from "node:crypto";
import { onTestFinished } from "vitest";
import { withClient } from "../../audit/core/pg-client.ts";
import { quoteIdent } from "../../audit/core/sql.ts";
import { parseMaskingRules } from "../../audit/masking/index.ts";
import { databaseUrl, serverUrl, type TestDatabase } from "../support/databases.ts";

export const SHOP_SQL = `
  create table tenants (id int primary key, name text not null);
  create table accounts (login text primary key, created_at timestamptz not null default now());
  create table customers (
    tenant_id int not null references tenants,
    email text not null,
    full_name text,
    phone text unique,
    street text,
    notes text,
    status text not null default 'active',
    account_login text references accounts (login),
    primary key (tenant_id, email)
  );
  create table orders (
    id int primary key,
    tenant_id int not null,
    customer_email text,
    total numeric not null,
    foreign key (tenant_id, customer_email) references customers (tenant_id, email)
  );
  create table sessions (id int primary key, login text not null references accounts (login));
  create table events (id int not null, at date not null, actor_email text) partition by range (at);
  create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
  create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01');

  insert into tenants values (1, 'Acme'), (2, 'Globex');
  insert into accounts select 'login' || i || '@corp.example', now() from generate_series(1, 300) i;
  insert into customers (tenant_id, email, full_name, phone, street, notes, account_login)
    select 1 + i % 2, 'person' || (i + 1) / 2 || '@corp.example', 'Person ' || i, '+44 20 7946 ' || i,
           i || ' High Street, London', 'called on ' || i, 'login' || (1 + i % 300) || '@corp.example'
      from generate_series(1, 1000) i;
  insert into orders select i, 1 + j % 2, 'person' || (j + 1) / 2 || '@corp.example', i
    from generate_series(1, 2000) i, lateral (select i % 1000 + 1 as j) c;
  insert into sessions select i, 'login' || (1 + i % 300) || '@corp.example' from generate_series(1, 600) i;
  insert into events select i, date '2024-06-01' + (i % 400), 'person' || (i % 500) || '@corp.example'
    from generate_series(1, 800) i;
`;

export const SHOP_RULES_YAML = `
version: 1
tables:
  accounts:
    login: email
  customers:
    email: email
    full_name: name
    phone: phone
    street: address
    notes: redact
    status: { fixed: active }
  events:
    actor_email: email
`;

export const SHOP_RULES = parseMaskingRules(SHOP_RULES_YAML, "/config/masking.yaml");

export const KEY = "test-masking-key-0123456789abcdef";

/** A copy of `source` made with CREATE DATABASE … TEMPLATE, dropped when the test ends. */
export async function copyOf(source: TestDatabase): Promise<TestDatabase> {
  const name = `${source.name}_c${randomBytes(3).toString("hex")}`;
  const admin = serverUrl(source.major);
  await withClient(admin, (client) =>
    client.query(`create database ${quoteIdent(name)} template ${quoteIdent(source.name)}`),
  );
  const drop = () =>
    withClient(admin, (client) =>
      client.query(`drop database if exists ${quoteIdent(name)} with (force)`),
    ).then(() => undefined);
  onTestFinished(drop);
  return { name, url: databaseUrl(source.major, name), major: source.major, drop };
}

/** Every table's rows in a stable order, for comparing whole databases. */
export async function snapshotRows(url: string): Promise<Record<string, unknown[]>> {
  return withClient(url, async (client) => {
    const tables = ["tenants", "accounts", "customers", "orders", "sessions", "events"];
    const result: Record<string, unknown[]> = {};
    for (const table of tables) {
      const rows = await client.query(`select * from ${table} order by 1, 2`);
      result[table] = rows.rows.map((row) => JSON.stringify(row));
    }
    return result;
  });
}
