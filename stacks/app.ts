// The shop app as every stack builds it: the half that is identical in production, staging and
// previews. Changing the engine version here moves every tier on its next `up`, together.
import { defineApp } from "../components/index.ts";

export const shop = defineApp({
  name: "shop",
  database: {
    kind: "instance",
    engineVersion: "15.10",
    parameters: {
      log_min_duration_statement: "500",
      "rds.force_ssl": "1",
      idle_in_transaction_session_timeout: "60000",
      statement_timeout: "30000",
      work_mem: "16384",
    },
    extensions: ["pg_stat_statements", "citext", "pgcrypto", "pg_trgm"],
    databaseName: "shop",
    masterUsername: "shop_admin",
    allocatedStorage: 100,
  },
  configKeys: {
    "payments-api-url": {
      description: "PayPal REST API base URL",
      external: { production: ["api-m.paypal.com"] },
    },
    "payments-client-id": { description: "PayPal REST client id" },
    "payments-client-secret": { description: "PayPal REST client secret", secret: true },
    "mail-api-url": {
      description: "Postmark API base URL (non-production tiers use a local sink)",
      external: { production: ["api.postmarkapp.com"] },
    },
    "mail-server-token": { description: "Postmark server token", secret: true },
    "session-secret": { description: "Cookie signing secret", secret: true },
    "feature-flags": { description: "Comma-separated feature flags" },
    "log-level": { description: "Application log level" },
  },
  production: { secretPrefixes: ["shop/production/"] },
});
