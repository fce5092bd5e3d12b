// The drift every team meets sooner or later, planted on purpose so the demo has something to
// find. Each entry says what parity should report, so the demo can check that it did.
import type { Finding } from "../../audit/core/finding.ts";

/** Run on production before the shared schema: the current citext. */
export const PRODUCTION_BEFORE = "CREATE EXTENSION citext;";
/** Staging was created long ago and never ran ALTER EXTENSION … UPDATE. */
export const STAGING_BEFORE = "CREATE EXTENSION citext VERSION '1.4';";

/** A hotfix index added on production by hand, never in a migration. */
export const PRODUCTION_AFTER = `
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at DESC);
`;

/** A column someone added to staging while testing a feature that was later dropped. */
export const STAGING_AFTER = `
ALTER TABLE customers ADD COLUMN legacy_loyalty_points integer DEFAULT 0;
`;

// Config as dotenv files. Hostnames are fictional; there are no secrets here.
const PRODUCTION_DB = "shop-production.cluster-c9x2kq7hw1ab.eu-west-1.rds.amazonaws.com";
const STAGING_DB = "shop-staging.cluster-c9x2kq7hw1ab.eu-west-1.rds.amazonaws.com";

export const PRODUCTION_ENV = `# production config (SSM /shop/production/ in real life)
DATABASE_URL=postgres://shop_app@${PRODUCTION_DB}:5432/shop
ANALYTICS_DATABASE_URL=postgres://analytics@shop-analytics.cluster-c9x2kq7hw1ab.eu-west-1.rds.amazonaws.com:5432/analytics
PUBLIC_BASE_URL=https://shop.example.com
PAYMENTS_PROVIDER=stripe
PAYMENTS_WEBHOOK_PATH=/hooks/stripe
SEARCH_RATE_LIMIT=120
FEATURE_CHECKOUT_V2=on
FEATURE_GIFT_CARDS=on
EMAIL_FROM=orders@shop.example.com
LOG_LEVEL=info
SESSION_TTL_MINUTES=720
`;

export const STAGING_ENV = `# staging config: FEATURE_CHECKOUT_V2, FEATURE_GIFT_CARDS and SEARCH_RATE_LIMIT never arrived
DATABASE_URL=postgres://shop_app@${STAGING_DB}:5432/shop
# someone pointed staging's reporting at production's database to "get real numbers"
ANALYTICS_DATABASE_URL=postgres://analytics@${PRODUCTION_DB}:5432/shop
PUBLIC_BASE_URL=https://staging.shop.example.com
PAYMENTS_PROVIDER=stripe
PAYMENTS_WEBHOOK_PATH=/hooks/stripe
EMAIL_FROM=orders@staging.shop.example.com
LOG_LEVEL=debug
SESSION_TTL_MINUTES=720
DEBUG_TOOLBAR=on
`;

/**
 * Staging's masking rules (used by \`parity mask\` after each clone). customers.phone shipped after the
 * rules were written and nobody added one: staging would hold real phone numbers.
 */
export const MASKING_RULES = `version: 1
tables:
  customers:
    email: email
    full_name: name
  addresses:
    line1: address
    postal_code: redact
  orders:
    shipping_address_id: { safe: "a key into addresses, not an address" }
`;

export interface PlantedDrift {
  description: string;
  matches(finding: Finding): boolean;
}

const on = (finding: Finding) => finding.location.environment === "staging";

/** What the audit must report about staging for the demo to have worked. */
export const PLANTED: PlantedDrift[] = [
  {
    description: "index public.orders_customer_placed_idx missing in staging",
    matches: (f) =>
      on(f) && f.ruleId === "schema/missing" && f.location.object === "public.orders_customer_placed_idx",
  },
  {
    description: "extra column public.customers.legacy_loyalty_points in staging",
    matches: (f) =>
      on(f) && f.ruleId === "schema/extra" && f.location.object === "public.customers.legacy_loyalty_points",
  },
  {
    description: "extension citext at 1.4 in staging, 1.6 in production",
    matches: (f) => on(f) && f.ruleId === "engine/extension-version" && f.location.object.includes("citext"),
  },
  {
    description: "customers.phone has no masking rule",
    matches: (f) =>
      on(f) && f.ruleId === "data/masking-coverage" && f.location.object === "public.customers.phone",
  },
  {
    description: "server major version 13 in staging, 15 in production",
    matches: (f) => on(f) && f.ruleId === "engine/major-version",
  },
  ...["FEATURE_CHECKOUT_V2", "FEATURE_GIFT_CARDS", "SEARCH_RATE_LIMIT"].map((key) => ({
    description: `config key ${key} missing in staging`,
    matches: (f: Finding) => on(f) && f.ruleId === "config/missing-key" && f.location.object === key,
  })),
  {
    description: "staging's ANALYTICS_DATABASE_URL points at the production database",
    matches: (f) =>
      on(f) && f.ruleId === "config/points-at-production" && f.location.object === "ANALYTICS_DATABASE_URL",
  },
];
