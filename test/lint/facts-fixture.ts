// Target facts for the pure rule tests: a big orders table, a big customers table with a validated
// NOT NULL check, a small countries table, the function volatilities and casts of a real server.
import type { TableFacts, TargetFacts } from "../../audit/lint/facts.ts";

const MB = 1024 * 1024;

export function table(overrides: Partial<TableFacts> & Pick<TableFacts, "name">): TableFacts {
  return {
    kind: "r",
    rowEstimate: 0,
    heapBytes: 0,
    totalBytes: 0,
    indexes: [],
    constraints: [],
    columns: [],
    ...overrides,
  };
}

const column = (name: string, type: string, typeName: string, typmod = -1, notNull = false) => ({
  name,
  type,
  typeName,
  typmod,
  notNull,
});

export const ORDERS = table({
  name: "public.orders",
  rowEstimate: 1_000_000,
  heapBytes: 68 * MB,
  totalBytes: 90 * MB,
  indexes: [{ name: "orders_pkey", bytes: 22 * MB, keyColumns: 1, unique: true }],
  constraints: [{ name: "orders_pkey", type: "p", validated: true, definition: "PRIMARY KEY (id)" }],
  columns: [
    column("id", "bigint", "int8", -1, true),
    column("customer_id", "bigint", "int8", -1, true),
    column("status", "text", "text", -1, true),
    column("total", "numeric(12,2)", "numeric", ((12 << 16) | 2) + 4, true),
    column("email", "character varying(20)", "varchar", 24),
    column("note", "text", "text"),
    column("created_at", "timestamp with time zone", "timestamptz", -1, true),
  ],
});

export const CUSTOMERS = table({
  name: "public.customers",
  rowEstimate: 2_000_000,
  heapBytes: 150 * MB,
  totalBytes: 200 * MB,
  constraints: [
    { name: "customers_email_nn", type: "c", validated: true, definition: "CHECK ((email IS NOT NULL))" },
    {
      name: "customers_phone_nn",
      type: "c",
      validated: false,
      definition: "CHECK ((phone IS NOT NULL)) NOT VALID",
    },
  ],
  columns: [
    column("id", "bigint", "int8", -1, true),
    column("email", "text", "text"),
    column("phone", "text", "text"),
  ],
});

export const COUNTRIES = table({
  name: "public.countries",
  rowEstimate: 200,
  heapBytes: 16 * 1024,
  totalBytes: 48 * 1024,
  columns: [column("code", "text", "text", -1, true), column("name", "text", "text")],
});

export function targetFacts(overrides: Partial<TargetFacts> = {}): TargetFacts {
  const tables = new Map<string, TableFacts>();
  for (const facts of [ORDERS, CUSTOMERS, COUNTRIES]) {
    tables.set(facts.name, facts);
    tables.set(facts.name.slice("public.".length), facts);
  }
  return {
    environment: "production",
    serverVersionNum: 150004,
    tables,
    functionVolatility: new Map([
      ["gen_random_uuid", ["v"]],
      ["clock_timestamp", ["v"]],
      ["now", ["s"]],
      ["lower", ["i"]],
      ["nextval", ["v"]],
    ]),
    binaryCoercible: new Set(["varchar>text", "text>varchar", "cidr>inet"]),
    ...overrides,
  };
}
