// The benchmark's generated schema: enums, tables with defaults and PK/FK/unique/check
// constraints, two indexes per table, a view per ten tables; and the differences planted in the
// target copy.

import { withClient } from "../audit/core/pg-client.ts";
import { createDatabase, type EmbeddedServer } from "../test/support/embedded-postgres.ts";

const ENUMS = 5;
const TABLES_PER_BATCH = 250;

/** DDL for tables [from, to): defaults, PK/FK/unique/check, two indexes each, a view per ten. */
export function tablesSql(from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i += 1) {
    const enumType = `app.status_${i % ENUMS}`;
    const fk =
      i > 0
        ? `,\n  parent_id bigint references app.t${i - 1}(id) on delete cascade deferrable initially deferred`
        : "";
    parts.push(`create table app.t${i} (
  id bigserial primary key,
  name text not null default '',
  email text unique,
  status ${enumType} not null default 'new',
  amount numeric(12,2) not null default 0 check (amount >= 0),
  created_at timestamptz not null default now(),
  note varchar(200)${fk}
);
create index t${i}_created_at_idx on app.t${i} (created_at);
create index t${i}_lower_name_idx on app.t${i} (lower(name)) where status <> 'archived';`);
    if (i % 10 === 9) {
      parts.push(`create view app.v${i} as
  select t.id, t.name, t.status, p.amount from app.t${i} t join app.t${i - 1} p on p.id = t.parent_id
  where t.status <> 'archived';`);
    }
  }
  return parts.join("\n");
}

export function enumsSql(): string {
  const parts = ["create schema app;"];
  for (let e = 0; e < ENUMS; e += 1) {
    parts.push(`create type app.status_${e} as enum ('new', 'active', 'suspended', 'archived');`);
  }
  return parts.join("\n");
}

/** A few differences of the kinds staging really drifts by. */
export const PLANTED = `
alter table app.t5 drop column note;
alter table app.t7 alter column name set default 'unnamed';
create index t11_email_lower_idx on app.t11 (lower(email));
alter type app.status_2 add value 'deleted';
create or replace view app.v19 as
  select t.id, t.name, t.status, p.amount from app.t19 t join app.t18 p on p.id = t.parent_id;
alter table app.t23 drop constraint t23_amount_check;
alter table app.t23 add constraint t23_amount_check check (amount > 0);
create table app.staging_only (id int primary key);
`;

export async function buildPair(
  server: EmbeddedServer,
  tables: number,
): Promise<{ baseline: string; target: string }> {
  const base = `bench_${tables}_base`;
  const target = `bench_${tables}_target`;
  const url = await createDatabase(server, base, enumsSql());
  await withClient(url, async (client) => {
    for (let from = 0; from < tables; from += TABLES_PER_BATCH) {
      await client.query(`begin; ${tablesSql(from, Math.min(tables, from + TABLES_PER_BATCH))} commit;`);
    }
    await client.query("analyze");
  });
  // A file-level copy is far faster than loading the DDL twice; then plant the differences.
  await withClient(server.url(), (client) => client.query(`create database ${target} template ${base}`));
  await withClient(server.url(target), (client) => client.query(PLANTED));
  // A production catalog has long been vacuumed; one just loaded with thousands of tables has
  // autovacuum work pending, which would land on whichever tool happens to be timed then.
  for (const database of [base, target]) {
    await withClient(server.url(database), (client) => client.query("vacuum analyze"));
  }
  return { baseline: server.url(base), target: server.url(target) };
}
