// Shapes for the paired-read tests (paired-read.test.ts on clones, paired-read-by-name.test.ts on
// databases built separately and across majors).

import { expect } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import {
  beginRead,
  compareSnapshots,
  completeTogether,
  type DatabaseSnapshot,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import type { OpenRead, ReadPlan } from "../../audit/schema/introspect.ts";

/** Opens paired reads of a baseline and a target, named `baseline` and `target` unless given. */
export function openReads(
  baselineUrl: string,
  targetUrl: string,
  names: [string, string] = ["baseline", "target"],
): Promise<[OpenRead, OpenRead]> {
  return Promise.all([
    beginRead(baselineUrl, { environment: names[0] }, { fingerprints: true }),
    beginRead(targetUrl, { environment: names[1] }, { fingerprints: true }),
  ]);
}

export async function pairedFindings(
  baseline: string,
  target: string,
  plans?: (ReadPlan | null)[],
): Promise<Finding[]> {
  const [a, b] = await openReads(baseline, target);
  if (plans) {
    for (const read of [a, b]) {
      const complete = read.complete.bind(read);
      read.complete = (plan) => {
        plans.push(plan);
        return complete(plan);
      };
    }
  }
  // Databases built separately are paired by name at any size here (in use: from 64 relations).
  const snapshots = await completeTogether(a, [b], undefined, { nameMinRelations: 0 });
  return compareSnapshots(
    snapshots.get("baseline") as DatabaseSnapshot,
    snapshots.get("target") as DatabaseSnapshot,
  );
}

/**
 * Full reads by URL, for a test that compares the same unchanging databases several ways: each is
 * read in full once (the paired reads under test still run for every pair).
 */
export type FullReads = Map<string, Promise<DatabaseSnapshot>>;

export async function fullFindings(
  baseline: string,
  target: string,
  fullReads?: FullReads,
): Promise<Finding[]> {
  const read = (url: string) => {
    if (!fullReads) return introspectDatabase(url);
    const cached = fullReads.get(url) ?? introspectDatabase(url);
    fullReads.set(url, cached);
    return cached;
  };
  const [a, b] = await Promise.all([read(baseline), read(target)]);
  return compareSnapshots(a, b);
}

/** The paired read's findings, checked against the full read's; `plans` collects each read's plan. */
export async function expectSameAsFullRead(
  baseline: string,
  target: string,
  plans?: (ReadPlan | null)[],
  fullReads?: FullReads,
): Promise<Finding[]> {
  const [paired, full] = await Promise.all([
    pairedFindings(baseline, target, plans),
    fullFindings(baseline, target, fullReads),
  ]);
  expect(paired).toEqual(full);
  return paired;
}

// Changes after the clone that keep an object's OID but change how others print it, or that
// only matter for what is built on them. Each must be seen exactly as a full read sees it.
export const SHARED = `
create schema app;
create type app.status as enum ('new', 'active', 'archived');
create sequence app.order_no;
create function app.positive(n numeric) returns boolean language sql immutable as 'select n > 0';
create table app.customers (id bigserial primary key, email text not null, status app.status not null default 'new');
create table app.orders (
  id bigint primary key default nextval('app.order_no'),
  customer_id bigint not null references app.customers (id),
  total numeric not null check (app.positive(total)),
  statuses app.status[] not null default '{}'
);
create index orders_total_idx on app.orders ((total * 2)) where total > 10;
create index customers_lower_email_idx on app.customers (lower(email));
create view app.active_customers as select id, email from app.customers where status = 'active';
create view app.big_orders as select o.id, c.email from app.orders o join app.active_customers c on c.id = o.customer_id;
create table app.untouched (id int primary key, note text default 'x');
create domain app.quantity as integer check (value > 0);
create collation app.bytes from "C";
create table app.lines (id int primary key, qty app.quantity not null, sku text collate app.bytes);
create view app.line_skus as select sku from app.lines;
create function app.refuse() returns trigger language plpgsql as 'begin return null; end';
-- A trigger on a view goes with the view: when the view depends on a change, so does the trigger.
create trigger active_customers_insert instead of insert on app.active_customers
  for each row execute function app.refuse();
`;

export const AFTER_CLONE: { change: string; sql: string }[] = [
  {
    change: "a sequence named by a default is renamed",
    sql: "alter sequence app.order_no rename to order_seq;",
  },
  {
    change: "a column named by an index and a view is renamed",
    sql: "alter table app.customers rename column email to mail;",
  },
  {
    change: "a table named by a foreign key and a view is renamed",
    sql: "alter table app.customers rename to clients;",
  },
  {
    change: "a function named by a check is renamed",
    sql: "alter function app.positive(numeric) rename to is_positive;",
  },
  {
    change: "a function body changes",
    sql: "create or replace function app.positive(n numeric) returns boolean language sql immutable as 'select n >= 0';",
  },
  { change: "an enum label is renamed", sql: "alter type app.status rename value 'active' to 'enabled';" },
  {
    change: "an enum label named by a default is renamed",
    sql: "alter type app.status rename value 'new' to 'fresh';",
  },
  { change: "an enum gains a label", sql: "alter type app.status add value 'deleted';" },
  { change: "the schema is renamed", sql: "alter schema app rename to shop;" },
  { change: "a type is renamed", sql: "alter type app.status rename to state;" },
  {
    change: "a domain's check changes",
    sql: "alter domain app.quantity drop constraint quantity_check; alter domain app.quantity add constraint quantity_check check (value >= 0);",
  },
  { change: "a collation gains a comment", sql: "comment on collation app.bytes is 'byte order';" },
  { change: "a default changes", sql: "alter table app.untouched alter column note set default 'y';" },
  {
    change: "a view's query changes",
    sql: "create or replace view app.active_customers as select id, email from app.customers where status <> 'archived';",
  },
  { change: "an index is dropped", sql: "drop index app.orders_total_idx;" },
  { change: "a comment is added", sql: "comment on column app.orders.total is 'gross';" },
  {
    change: "a new sequence becomes a default",
    sql: "create sequence app.other_no; alter table app.untouched alter column id set default nextval('app.other_no');",
  },
];
