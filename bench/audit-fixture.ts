// The whole-audit benchmark's databases: tables shaped like a real schema's (bigserial key, ten
// columns with defaults, jsonb, a unique uuid, a check, a foreign key to the previous table, a
// plain and a partial expression index, an enum, a view per ten tables), each with a few rows,
// so every sequence has been called as in production. Pairs:
// - clone: the baseline copied with CREATE DATABASE … TEMPLATE, then the planted changes;
// - separate: the same generator run again in another database, then the planted changes;
// - cross: the baseline's schema and rows built on PostgreSQL 13, against the 15 baseline.
import { withClient } from "../audit/core/pg-client.ts";
import { createDatabase, type EmbeddedServer } from "../test/support/embedded-postgres.ts";
import { enumsSql, PLANTED } from "./schema-fixture.ts";

/** Tables per transaction while loading: each creates ~8 relations, all locked until commit. */
const TABLES_PER_BATCH = 100;
const ROWS_PER_TABLE = 3;

export function auditTablesSql(from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i += 1) {
    const fk = i > 0 ? `,\n  parent_id bigint references app.t${i - 1}(id) on delete cascade` : "";
    parts.push(`create table app.t${i} (
  id bigserial primary key,
  external_id uuid not null unique default gen_random_uuid(),
  name text not null default '',
  email text,
  status app.status_${i % 5} not null default 'new',
  amount numeric(12,2) not null default 0 check (amount >= 0),
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  note varchar(200)${fk}
);
create index t${i}_created_at_idx on app.t${i} (created_at);
create index t${i}_lower_name_idx on app.t${i} (lower(name)) where status <> 'archived';
insert into app.t${i} (name, email, amount) select 'row ' || n, 'row' || n || '@example.com', n from generate_series(1, ${ROWS_PER_TABLE}) n;`);
    if (i % 10 === 9) {
      parts.push(`create view app.v${i} as
  select t.id, t.name, t.status, p.amount from app.t${i} t join app.t${i - 1} p on p.id = t.parent_id
  where t.status <> 'archived';`);
    }
  }
  return parts.join("\n");
}

/** Production has grown since staging was made: a big table staging has only a few rows of. */
export const BASELINE_DATA = `
insert into app.t4 (name) select 'more ' || n from generate_series(1, 2000) n;
analyze app.t4;
`;

/** Staging wrote rows after the copy: ids 4..53 of t3 name other rows than production's next ones. */
export const TARGET_DATA = `
insert into app.t3 (name) select 'staging ' || n from generate_series(1, 50) n;
`;

async function buildDatabase(server: EmbeddedServer, name: string, tables: number, extra: string) {
  const url = await createDatabase(server, name, enumsSql());
  await withClient(url, async (client) => {
    for (let from = 0; from < tables; from += TABLES_PER_BATCH) {
      await client.query(`begin; ${auditTablesSql(from, Math.min(tables, from + TABLES_PER_BATCH))} commit;`);
    }
    await client.query(extra);
  });
  return url;
}

export interface AuditPairs {
  clone: { baseline: string; target: string };
  separate: { baseline: string; target: string };
  cross: { baseline: string; target: string };
}

export async function buildAuditPairs(
  servers: { pg15: EmbeddedServer; pg13: EmbeddedServer },
  tables: number,
): Promise<AuditPairs> {
  const { pg15, pg13 } = servers;
  const base = `audit_${tables}_base`;
  const clone = `audit_${tables}_clone`;
  const separate = `audit_${tables}_separate`;
  const [baseUrl, separateUrl, crossUrl] = await Promise.all([
    buildDatabase(pg15, base, tables, BASELINE_DATA),
    buildDatabase(pg15, separate, tables, `${PLANTED}\n${TARGET_DATA}`),
    buildDatabase(pg13, `audit_${tables}_base13`, tables, BASELINE_DATA),
  ]);
  await withClient(pg15.url(), (client) => client.query(`create database ${clone} template ${base}`));
  await withClient(pg15.url(clone), (client) => client.query(`${PLANTED}\n${TARGET_DATA}`));
  // A production catalog has long been vacuumed; one just loaded has autovacuum work pending,
  // which would land on whichever tool happens to be timed then.
  for (const url of [baseUrl, separateUrl, crossUrl, pg15.url(clone)]) {
    await withClient(url, (client) => client.query("vacuum analyze"));
  }
  return {
    clone: { baseline: baseUrl, target: pg15.url(clone) },
    separate: { baseline: baseUrl, target: separateUrl },
    cross: { baseline: crossUrl, target: baseUrl },
  };
}
