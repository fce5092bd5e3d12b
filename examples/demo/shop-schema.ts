// A small but realistic e-commerce schema and its seed data, loaded into both demo databases.
// The drift the demo plants (drift.ts) is applied on top of it, on one side only.

export const SHOP_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded');

CREATE TABLE customers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email       citext NOT NULL UNIQUE,
  full_name   text NOT NULL,
  phone       text,
  marketing_opt_in boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE addresses (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  line1       text NOT NULL,
  city        text NOT NULL,
  postal_code text NOT NULL,
  country     char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  is_default  boolean NOT NULL DEFAULT false
);
CREATE INDEX addresses_customer_id_idx ON addresses (customer_id);

CREATE TABLE categories (
  id        int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id int REFERENCES categories (id),
  slug      text NOT NULL UNIQUE,
  name      text NOT NULL
);

CREATE TABLE products (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_id  int NOT NULL REFERENCES categories (id),
  sku          text NOT NULL UNIQUE,
  name         text NOT NULL,
  price_cents  integer NOT NULL CHECK (price_cents >= 0),
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_id_idx ON products (category_id) WHERE active;

CREATE TABLE inventory (
  product_id bigint PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  on_hand    integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved   integer NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);

CREATE TABLE orders (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (id),
  status       order_status NOT NULL DEFAULT 'pending',
  total_cents  integer NOT NULL CHECK (total_cents >= 0),
  placed_at    timestamptz NOT NULL DEFAULT now(),
  shipping_address_id bigint REFERENCES addresses (id) ON DELETE SET NULL
);
CREATE INDEX orders_status_idx ON orders (status) WHERE status IN ('pending', 'paid');

CREATE TABLE order_items (
  order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_no     smallint NOT NULL,
  product_id  bigint NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);

CREATE TABLE payments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id    bigint NOT NULL REFERENCES orders (id),
  provider    text NOT NULL DEFAULT 'stripe',
  amount_cents integer NOT NULL,
  captured_at timestamptz
);

CREATE VIEW daily_revenue AS
  SELECT date_trunc('day', o.placed_at) AS day, sum(o.total_cents) AS revenue_cents, count(*) AS orders
  FROM orders o
  WHERE o.status IN ('paid', 'shipped', 'delivered')
  GROUP BY 1;

CREATE FUNCTION order_total(p_order_id bigint) RETURNS integer
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(sum(quantity * unit_price_cents), 0)::integer FROM order_items WHERE order_id = p_order_id $$;
`;

/** A few thousand deterministic rows: enough to look like an app, quick to load. */
export const SHOP_SEED = `
INSERT INTO categories (slug, name) VALUES
  ('apparel', 'Apparel'), ('shoes', 'Shoes'), ('home', 'Home'), ('kitchen', 'Kitchen'), ('outdoor', 'Outdoor');

INSERT INTO customers (email, full_name, phone, marketing_opt_in, created_at)
  SELECT 'customer' || g || '@example.com', 'Customer ' || g, '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'),
         g % 3 = 0, timestamptz '2024-01-01' + g * interval '37 minutes'
  FROM generate_series(1, 2000) g;

INSERT INTO addresses (customer_id, line1, city, postal_code, country, is_default)
  SELECT g, g || ' High Street', (ARRAY['London', 'Leeds', 'Bristol', 'York'])[1 + g % 4], 'N' || g % 99, 'GB', true
  FROM generate_series(1, 2000) g;

INSERT INTO products (category_id, sku, name, price_cents)
  SELECT 1 + g % 5, 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g, 500 + (g * 137) % 20000
  FROM generate_series(1, 300) g;

INSERT INTO inventory (product_id, on_hand) SELECT id, (id * 7) % 120 FROM products;

INSERT INTO orders (customer_id, status, total_cents, placed_at, shipping_address_id)
  SELECT 1 + g % 2000,
         (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled']::order_status[])[1 + g % 5],
         0, timestamptz '2025-01-01' + g * interval '13 minutes', 1 + g % 2000
  FROM generate_series(1, 5000) g;

INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price_cents)
  SELECT o.id, l, 1 + (o.id * l * 31) % 300, 1 + (o.id + l) % 3, 500 + (o.id * l * 137) % 20000
  FROM orders o, generate_series(1, 2) l;

UPDATE orders SET total_cents = order_total(id);

INSERT INTO payments (order_id, amount_cents, captured_at)
  SELECT id, total_cents, placed_at + interval '2 minutes' FROM orders WHERE status <> 'pending';

ANALYZE;
`;
