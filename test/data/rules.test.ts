// The data rules on pure inputs, as tables of valid and invalid cases (test/support/rule-tester.ts).
// data-check.test.ts beside this file shows the same rules on what a real server reports.

import { describe, expect, it } from "vitest";
import type {
  DataColumn,
  DataRuleContext,
  DataSequence,
  DataSnapshot,
  DataTableVolume,
} from "../../audit/drift/checks/data/types.ts";
import { cloneLeftover, formatAge } from "../../audit/drift/rules/data/clone-leftover.ts";
import { maskingCoverage } from "../../audit/drift/rules/data/masking-coverage.ts";
import { sequenceDivergence } from "../../audit/drift/rules/data/sequence-divergence.ts";
import { dataVolume } from "../../audit/drift/rules/data/volume.ts";
import { testRule } from "../support/rule-tester.ts";

function side(environment: string, parts: Partial<DataSnapshot>): DataSnapshot {
  return {
    environment,
    columns: [],
    foreignKeyPairs: [],
    masking: null,
    sequences: [],
    volumes: [],
    minRowRatio: 0.1,
    ...parts,
  };
}

function pair(baseline: Partial<DataSnapshot>, target: Partial<DataSnapshot>): DataRuleContext {
  return {
    baseline: side("production", baseline),
    target: side("staging", target),
    environments: { baseline: "production", target: "staging" },
  };
}

const column = (table: string, name: string, type = "text"): DataColumn => ({
  schema: "public",
  table,
  column: name,
  type,
});
const FILE = "/repo/masking.yaml";
const masking = (ruled: string[], stale: string[] = []) => ({ file: FILE, ruled, stale });

const customerEmail = column("customers", "email");
const orderEmail = column("orders", "customer_email");

testRule(maskingCoverage, {
  valid: [
    { name: "nothing personal", context: pair({}, { columns: [column("orders", "total", "numeric")] }) },
    {
      name: "a ruled column",
      context: pair({}, { columns: [customerEmail], masking: masking(["public.customers.email"]) }),
    },
    {
      name: "a column tied by a foreign key to a ruled one takes its rule",
      context: pair(
        {},
        {
          columns: [customerEmail, orderEmail],
          foreignKeyPairs: [["public.orders.customer_email", "public.customers.email"]],
          masking: masking(["public.customers.email"]),
        },
      ),
    },
    {
      name: "a flag is not data",
      context: pair({}, { columns: [column("users", "email_verified", "boolean")] }),
    },
  ],
  invalid: [
    {
      name: "a materialized view column that reads no ruled column",
      context: pair(
        {},
        {
          columns: [
            customerEmail,
            { ...column("order_summary", "customer_email"), viewReads: ["public.orders.total"] },
          ],
          masking: masking(["public.customers.email"]),
        },
      ),
      findings: [
        {
          messageId: "unmaskedViewColumn",
          severity: "error",
          objectType: "column",
          object: "public.order_summary.customer_email",
        },
      ],
    },
    {
      name: "an unruled email column",
      context: pair(
        {},
        { columns: [customerEmail, orderEmail], masking: masking(["public.customers.email"]) },
      ),
      findings: [
        {
          messageId: "unmasked",
          message:
            'public.orders.customer_email (text) looks like email data and has no masking rule in /repo/masking.yaml: add `customer_email: email` under its table, or mark it reviewed with `customer_email: { safe: "why it is not personal data" }`',
          severity: "error",
          objectType: "column",
          object: "public.orders.customer_email",
          actual: "email",
        },
      ],
    },
    {
      name: "no rules file at all: one warning naming the suspects",
      context: pair({}, { columns: [customerEmail, column("sessions", "client_ip", "inet")] }),
      findings: [
        {
          messageId: "noRulesFile",
          message:
            "2 column(s) look like personal data but staging names no maskingRules file, so masking coverage is not checked: public.customers.email, public.sessions.client_ip",
          severity: "warning",
          objectType: "database",
          object: "staging",
          actual: ["public.customers.email", "public.sessions.client_ip"],
        },
      ],
    },
    {
      name: "more than ten suspects are cut short in the message, not in actual",
      context: pair({}, { columns: Array.from({ length: 11 }, (_, i) => column(`t${i}`, "email")) }),
      findings: [
        {
          messageId: "noRulesFile",
          // Sorted by code unit: t10 comes after t1, and t9, the eleventh, is the one cut.
          message: /: public\.t0\.email, public\.t1\.email, public\.t10\.email, .*, public\.t8\.email, …$/,
          severity: "warning",
          object: "staging",
          actual: Array.from({ length: 11 }, (_, i) => `public.t${i}.email`).sort(),
        },
      ],
    },
    {
      // The catalog hands columns over in whatever order it scanned them; the finding must not
      // change with it (a bench comparing two reads of one database saw exactly that).
      name: "the suspects are named in sorted order, whatever the read order",
      context: pair(
        {},
        { columns: [column("t2", "email"), column("t10", "email"), column("accounts", "phone")] },
      ),
      findings: [
        {
          messageId: "noRulesFile",
          message: /checked: public\.accounts\.phone, public\.t10\.email, public\.t2\.email$/,
          severity: "warning",
          object: "staging",
          actual: ["public.accounts.phone", "public.t10.email", "public.t2.email"],
        },
      ],
    },
    {
      name: "a rule for a column the database lacks",
      context: pair(
        {},
        {
          columns: [customerEmail],
          masking: masking(["public.customers.email"], ["public.gone.phone", "public.old"]),
        },
      ),
      findings: [
        {
          messageId: "staleRule",
          message:
            "/repo/masking.yaml has a masking rule for public.gone.phone, which staging does not have: parity mask refuses rules that name missing columns",
          severity: "warning",
          objectType: "column",
          object: "public.gone.phone",
        },
        { messageId: "staleRule", severity: "warning", objectType: "table", object: "public.old" },
      ],
    },
  ],
});

const sequence = (overrides: Partial<DataSequence>): DataSequence => ({
  sequence: "public.orders_id_seq",
  column: "public.orders.id",
  increment: "1",
  start: "1",
  minValue: "1",
  maxValue: "9223372036854775807",
  nextValue: "1",
  liveMin: null,
  liveMax: null,
  ...overrides,
});
const production = { sequences: [sequence({ nextValue: "1043", liveMin: "1", liveMax: "1042" })] };

testRule(sequenceDivergence, {
  valid: [
    {
      name: "the target is past the baseline's ids",
      context: pair(production, { sequences: [sequence({ nextValue: "5000" })] }),
    },
    {
      name: "a baseline sequence never used",
      context: pair(
        { sequences: [sequence({ nextValue: "1" })] },
        { sequences: [sequence({ nextValue: "1" })] },
      ),
    },
    {
      name: "a sequence only the target has",
      context: pair({}, { sequences: [sequence({ nextValue: "1" })] }),
    },
    {
      name: "a target sequence it cannot read",
      context: pair(production, { sequences: [sequence({ nextValue: null })] }),
    },
  ],
  invalid: [
    {
      name: "the seed story: staging issued 10001..10050 after the clone, production's next is 10001",
      context: pair(
        { sequences: [sequence({ nextValue: "10001", liveMin: "1", liveMax: "10000" })] },
        { sequences: [sequence({ nextValue: "10051", liveMin: "1", liveMax: "10050" })] },
      ),
      findings: [
        {
          messageId: "issuedPast",
          message:
            "public.orders.id: staging has issued ids 10001..10050 of table public.orders past production's sequence public.orders_id_seq (ids in use 1..10000, next 10001); production will hand out the same ids for other rows, so 10001..10050 already names different rows in the two environments: give each environment its own id block (ALTER SEQUENCE … MINVALUE … MAXVALUE … START … RESTART) or rebuild staging from production",
          severity: "error",
          objectType: "sequence",
          object: "public.orders_id_seq",
          expected: { range: "1..10000", next: "10001" },
          actual: { issued: "10001..10050", next: "10051", range: "1..10050" },
        },
      ],
    },
    {
      name: "a fresh staging sequence hands out production's ids again",
      context: pair(production, { sequences: [sequence({ nextValue: "1" })] }),
      findings: [
        {
          messageId: "overlaps",
          message:
            "public.orders.id: staging's sequence public.orders_id_seq will hand out 1 and up (next 1), inside production's live ids 1..1042: the same id will name different rows; give staging its own id block (ALTER SEQUENCE public.orders_id_seq MINVALUE … MAXVALUE … START … RESTART, with bounds apart from the baseline's)",
          severity: "warning",
          objectType: "sequence",
          object: "public.orders_id_seq",
          expected: { range: "1..1042" },
          actual: { next: "1", range: null },
        },
      ],
    },
    {
      name: "the baseline's range from its sequence when the column has no index, and the target's live ids",
      context: pair(
        { sequences: [sequence({ nextValue: "101" })] },
        { sequences: [sequence({ nextValue: "51", liveMin: "1", liveMax: "50" })] },
      ),
      findings: [
        {
          messageId: "overlaps",
          data: {
            column: "public.orders.id",
            target: "staging",
            sequence: "public.orders_id_seq",
            next: "51",
            direction: " and up",
            targetRange: "live ids 1..50, ",
            baseline: "production",
            low: "1",
            high: "100",
          },
          severity: "warning",
          object: "public.orders_id_seq",
          actual: { next: "51", range: "1..50" },
        },
      ],
    },
    {
      name: "a descending sequence",
      context: pair(
        {
          sequences: [
            sequence({ increment: "-1", start: "-1", nextValue: "-11", liveMin: "-10", liveMax: "-1" }),
          ],
        },
        { sequences: [sequence({ increment: "-1", start: "-1", nextValue: "-1" })] },
      ),
      findings: [
        {
          messageId: "overlaps",
          message: /will hand out -1 and down \(next -1\), inside production's live ids -10\.\.-1:/,
          severity: "warning",
          object: "public.orders_id_seq",
        },
      ],
    },
  ],
});

const volume = (table: string, rows: number | null): DataTableVolume => ({
  table,
  rows,
  source: "reltuples",
});

testRule(dataVolume, {
  valid: [
    {
      name: "a tenth is enough",
      context: pair(
        { volumes: [volume("public.orders", 10_000)] },
        { volumes: [volume("public.orders", 1000)] },
      ),
    },
    {
      name: "small baseline tables are noise",
      context: pair(
        { volumes: [volume("public.countries", 999)] },
        { volumes: [volume("public.countries", 0)] },
      ),
    },
    { name: "a table only the target has", context: pair({}, { volumes: [volume("public.orders", 0)] }) },
    {
      name: "a baseline never analyzed",
      context: pair({ volumes: [volume("public.orders", null)] }, { volumes: [volume("public.orders", 0)] }),
    },
  ],
  invalid: [
    {
      name: "a near-empty staging table",
      context: pair(
        { volumes: [volume("public.orders", 1_400_000)] },
        { volumes: [volume("public.orders", 200)] },
      ),
      findings: [
        {
          messageId: "tooFew",
          message:
            "public.orders: ~200 rows in staging against ~1400000 in production (below the 0.1 ratio, 140000 rows); migrations and query plans will behave differently",
          severity: "warning",
          objectType: "table",
          object: "public.orders",
          expected: 1_400_000,
          actual: 200,
        },
      ],
    },
    {
      name: "the target's own ratio, and the threshold rounded up",
      context: pair(
        { volumes: [volume("public.orders", 1001)] },
        { volumes: [volume("public.orders", 500)], minRowRatio: 0.5 },
      ),
      findings: [
        {
          messageId: "tooFew",
          message: /below the 0\.5 ratio, 501 rows\)/,
          severity: "warning",
          object: "public.orders",
        },
      ],
    },
    {
      name: "a target table never analyzed is only a hint",
      context: pair(
        { volumes: [volume("public.orders", 5000)] },
        { volumes: [volume("public.orders", null)] },
      ),
      findings: [
        {
          messageId: "noEstimate",
          message:
            "public.orders: no row estimate in staging (never analyzed, no statistics); run ANALYZE to compare it with production's ~5000 rows",
          severity: "info",
          object: "public.orders",
          expected: 5000,
          actual: undefined,
        },
      ],
    },
  ],
});

testRule(cloneLeftover, {
  valid: [
    { name: "no leftover", context: pair({}, { cloneLeftovers: [] }) },
    { name: "not read", context: pair({}, {}) },
    {
      name: "the baseline's leftovers are its own audit's business",
      context: pair(
        { cloneLeftovers: [{ database: "parity_clone_aa", building: "shop", ageSeconds: 5 }] },
        {},
      ),
    },
  ],
  invalid: [
    {
      name: "a killed refresh of staging",
      context: pair(
        {},
        {
          cloneLeftovers: [
            { database: "parity_clone_3f9c0a1b2c3d", building: "shop_staging", ageSeconds: 7500 },
          ],
        },
      ),
      findings: [
        {
          messageId: "leftover",
          message:
            'parity_clone_3f9c0a1b2c3d on staging\'s server is what an interrupted parity clone building shop_staging left 2 h ago; it may hold unmasked rows of the source. The next parity clone to this server removes it, or now: DROP DATABASE "parity_clone_3f9c0a1b2c3d" WITH (FORCE)',
          severity: "error",
          objectType: "database",
          object: "parity_clone_3f9c0a1b2c3d",
          environment: "staging",
        },
      ],
    },
  ],
});

describe("clone leftover ages", () => {
  it("reads as a person would say it", () => {
    expect([formatAge(42), formatAge(600), formatAge(7500), formatAge(300_000), formatAge(null)]).toEqual([
      "42 s",
      "10 min",
      "2 h",
      "3 days",
      "an unknown time",
    ]);
  });
});
