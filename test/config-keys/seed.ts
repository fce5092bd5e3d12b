// The seed story: production has 63 keys under /shop/production/, staging 47 under /shop/staging/.
// The 16 staging lacks are the ones production gained since staging was last synced: feature flags,
// a new payment integration, new rate limits. Staging's values are its own (its database, its hosts),
// and it shares third-party hosts (the payment provider's API) with production, as real stacks do.
import type { SsmParameterFixture } from "../aws-server/server.ts";

type Env = "production" | "staging";

interface SeedKey {
  key: string;
  type: SsmParameterFixture["type"];
  value: (env: Env) => string;
}

const host = (env: Env) => (env === "production" ? "shop.example.com" : "staging.shop.example.com");
const account = (env: Env) => (env === "production" ? "111111111111" : "222222222222");
const cluster = (env: Env) =>
  env === "production"
    ? "shop-production.cluster-c9akciq32.us-east-1.rds.amazonaws.com"
    : "shop-staging.cluster-d81jfh2k1.us-east-1.rds.amazonaws.com";

const plain = (key: string, value: (env: Env) => string): SeedKey => ({ key, type: "String", value });
const list = (key: string, value: (env: Env) => string): SeedKey => ({ key, type: "StringList", value });
const secret = (key: string): SeedKey => ({
  key,
  type: "SecureString",
  value: (env) => `SEED-SECRET-${env}-${key.replace(/\W/g, "-")}-do-not-print`,
});

/** Keys both environments have: 47. */
const SHARED: SeedKey[] = [
  plain("app/name", () => "shop"),
  plain("app/base-url", (e) => `https://${host(e)}`),
  plain("app/api-url", (e) => `https://api.${host(e)}/v2`),
  plain("app/log-level", (e) => (e === "production" ? "info" : "debug")),
  plain("app/timezone", () => "UTC"),
  plain("app/locale-default", () => "en-US"),
  list("app/locales", () => "en-US,de-DE,fr-FR"),
  plain("app/session-ttl-seconds", () => "3600"),
  plain("app/max-upload-mb", () => "25"),
  list("app/cors-origins", (e) => `https://${host(e)},https://admin.${host(e)}`),
  plain("db/host", cluster),
  plain("db/port", () => "5432"),
  plain("db/name", () => "shop"),
  plain("db/user", () => "shop_app"),
  secret("db/password"),
  plain("db/pool-max", (e) => (e === "production" ? "40" : "10")),
  plain("db/statement-timeout-ms", () => "15000"),
  plain("db/ssl-mode", () => "verify-full"),
  plain("cache/url", (e) => `rediss://shop-${e}.abc123.ng.0001.use1.cache.amazonaws.com:6379`),
  plain("cache/ttl-seconds", () => "300"),
  plain("queue/orders-url", (e) => `https://sqs.us-east-1.amazonaws.com/${account(e)}/orders-${e}`),
  plain("queue/orders-dlq-arn", (e) => `arn:aws:sqs:us-east-1:${account(e)}:orders-${e}-dlq`),
  plain("topic/events-arn", (e) => `arn:aws:sns:us-east-1:${account(e)}:events-${e}`),
  plain("s3/uploads-bucket", (e) => `shop-uploads-${e}`),
  plain("s3/uploads-kms-key-arn", (e) => `arn:aws:kms:us-east-1:${account(e)}:key/0b9c-uploads-${e}`),
  plain("payments/provider", () => "stripe"),
  plain("payments/api-base", () => "https://api.stripe.com"),
  secret("payments/secret-key"),
  secret("payments/webhook-secret"),
  plain("payments/currency", () => "EUR"),
  plain("email/provider", () => "ses"),
  plain("email/from", (e) => `shop@${host(e)}`),
  plain("email/ses-region", () => "eu-west-1"),
  secret("email/smtp-password"),
  plain("search/endpoint", (e) => `https://search-shop-${e}-x7y8z9.us-east-1.es.amazonaws.com`),
  plain("search/index-prefix", (e) => `shop-${e}`),
  plain("auth/issuer", (e) => `https://auth.${host(e)}/`),
  plain("auth/audience", () => "shop-api"),
  secret("auth/jwt-signing-key"),
  plain("auth/token-ttl-seconds", () => "900"),
  plain("features/new-checkout", () => "true"),
  plain("features/wishlist", () => "true"),
  plain("features/gift-cards", () => "false"),
  plain("observability/otel-endpoint", () => "https://otlp.eu01.nr-data.net:4317"),
  secret("observability/api-key"),
  plain("observability/sample-rate", (e) => (e === "production" ? "0.05" : "1.0")),
  plain("cdn/base-url", (e) => `https://cdn.${host(e)}`),
];

/** Keys production gained that staging never got: 16. */
const PRODUCTION_ONLY: SeedKey[] = [
  plain("features/one-click-reorder", () => "true"),
  plain("features/loyalty-points", () => "true"),
  plain("features/buy-now-pay-later", () => "false"),
  plain("features/dark-mode", () => "true"),
  plain("klarna/api-base", () => "https://api.klarna.com"),
  plain("klarna/merchant-id", () => "K123456"),
  secret("klarna/api-secret"),
  plain("klarna/region", () => "eu"),
  plain("ratelimit/checkout-per-minute", () => "30"),
  plain("ratelimit/search-per-minute", () => "600"),
  plain("ratelimit/login-per-minute", () => "10"),
  plain("tax/provider", () => "avalara"),
  secret("tax/license-key"),
  plain("tax/company-code", () => "SHOP-DE"),
  list("geo/blocked-countries", () => "KP,IR"),
  plain("support/widget-url", () => "https://widget.support.example.net/shop.js"),
];

export const SEED_MISSING_IN_STAGING: readonly string[] = PRODUCTION_ONLY.map((k) => k.key).sort();

export function seedParameters(env: Env): SsmParameterFixture[] {
  const keys = env === "production" ? [...SHARED, ...PRODUCTION_ONLY] : SHARED;
  return keys.map((k) => ({ name: `/shop/${env}/${k.key}`, type: k.type, value: k.value(env) }));
}

/** Every SecureString plaintext in the seed: none may ever appear in any output. */
export function seedSecrets(): string[] {
  return (["production", "staging"] as const).flatMap((env) =>
    seedParameters(env)
      .filter((p) => p.type === "SecureString")
      .map((p) => p.value),
  );
}
