// A corpus of migrations as teams write them (one statement each, mostly without timeouts), and the
// target they run on: a 400,000-row orders table, 100,000 customers, 200 countries, an empty events
// table. Used by the squawk comparison test and `npm run bench -- lint`.

export const CORPUS_TARGET = `
CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(255), name text,
  CONSTRAINT customers_email_nn CHECK (email IS NOT NULL));
INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'name ' || g FROM generate_series(1, 100000) g;
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text, total numeric(12,2) NOT NULL,
  note text, legacy_code text, created_at timestamptz NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 100000, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3], (g % 1000) / 10.0,
  NULL, NULL, timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, 400000) g;
CREATE INDEX orders_legacy_idx ON orders (legacy_code);
CREATE TABLE countries (code text PRIMARY KEY, name text);
INSERT INTO countries SELECT 'c' || g, 'Country ' || g FROM generate_series(1, 200) g;
CREATE TABLE events (id bigint, kind text, created_at timestamptz);
CREATE TABLE legacy_carts (id bigint, payload jsonb);
INSERT INTO legacy_carts SELECT g, '{}' FROM generate_series(1, 10000) g;
ANALYZE;
`;

export interface CorpusEntry {
  name: string;
  sql: string;
}

export const CORPUS: readonly CorpusEntry[] = [
  { name: "index-orders-created-at", sql: "CREATE INDEX orders_created_at_idx ON orders (created_at);" },
  {
    name: "index-orders-two-columns",
    sql: "CREATE INDEX orders_customer_status_idx ON orders (customer_id, status);",
  },
  {
    name: "unique-index-customers-email",
    sql: "CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email));",
  },
  { name: "index-small-countries", sql: "CREATE INDEX countries_name_idx ON countries (name);" },
  { name: "index-empty-events", sql: "CREATE INDEX events_kind_idx ON events (kind);" },
  { name: "brin-empty-events", sql: "CREATE INDEX events_created_idx ON events USING brin (created_at);" },
  { name: "index-concurrently", sql: "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);" },
  {
    name: "partial-index-concurrently-with-timeouts",
    sql: "SET lock_timeout = '2s';\nSET statement_timeout = '10min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_paid_idx ON orders (created_at) WHERE status = 'paid';",
  },
  { name: "add-nullable-column", sql: "ALTER TABLE orders ADD COLUMN gift_note text;" },
  {
    name: "add-column-constant-default",
    sql: "ALTER TABLE orders ADD COLUMN is_gift boolean NOT NULL DEFAULT false;",
  },
  {
    name: "add-column-uuid-default",
    sql: "ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();",
  },
  {
    name: "add-column-now-default",
    sql: "ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();",
  },
  { name: "add-bigserial-small-table", sql: "ALTER TABLE countries ADD COLUMN id bigserial;" },
  {
    name: "add-identity-column",
    sql: "ALTER TABLE customers ADD COLUMN number int GENERATED ALWAYS AS IDENTITY;",
  },
  { name: "widen-numeric", sql: "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);" },
  { name: "text-to-varchar-limit", sql: "ALTER TABLE orders ALTER COLUMN status TYPE varchar(32);" },
  { name: "varchar-to-text", sql: "ALTER TABLE customers ALTER COLUMN email TYPE text;" },
  { name: "int-to-bigint", sql: "ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;" },
  { name: "set-not-null", sql: "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;" },
  {
    name: "set-not-null-with-validated-check",
    sql: "ALTER TABLE customers ALTER COLUMN email SET NOT NULL;",
  },
  {
    name: "foreign-key",
    sql: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);",
  },
  {
    name: "foreign-key-not-valid",
    sql: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
  },
  { name: "validate-constraint", sql: "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;" },
  {
    name: "check-constraint",
    sql: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
  },
  {
    name: "check-small-table",
    sql: "ALTER TABLE countries ADD CONSTRAINT countries_code_length CHECK (length(code) <= 3);",
  },
  {
    name: "unique-constraint",
    sql: "ALTER TABLE customers ADD CONSTRAINT customers_email_unique UNIQUE (email);",
  },
  { name: "primary-key-empty-table", sql: "ALTER TABLE events ADD PRIMARY KEY (id);" },
  {
    name: "concurrently-in-transaction",
    sql: "BEGIN;\nCREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);\nCOMMIT;",
  },
  { name: "drop-table", sql: "DROP TABLE legacy_carts;" },
  { name: "drop-column", sql: "ALTER TABLE orders DROP COLUMN legacy_code;" },
  { name: "drop-index", sql: "DROP INDEX orders_legacy_idx;" },
  { name: "rename-column", sql: "ALTER TABLE orders RENAME COLUMN note TO notes;" },
  {
    name: "create-table-with-fk",
    sql: "CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), amount numeric(12,2) NOT NULL);",
  },
  {
    name: "add-column-with-fk",
    sql: "ALTER TABLE orders ADD COLUMN referrer_id bigint REFERENCES customers (id);",
  },
  { name: "set-default", sql: "ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';" },
  {
    name: "new-table-then-index",
    sql: "CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL);\nCREATE INDEX coupons_code_idx ON coupons (code);",
  },
];
