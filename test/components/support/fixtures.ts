// A realistic app definition and per-tier args for the component tests.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { AppDefinition, DatabaseKind } from "../../../components/app.ts";
import type { EnvironmentArgs } from "../../../components/environment.ts";
import type { Tier } from "../../../components/tiers.ts";

export function testApp(kind: DatabaseKind = "instance", name = "shop"): AppDefinition {
  return {
    name,
    database: {
      kind,
      engineVersion: "15.10",
      parameters: { log_min_duration_statement: "500", "rds.force_ssl": "1", work_mem: "16384" },
      extensions: ["pg_stat_statements", "citext", "pgcrypto"],
      databaseName: "shop",
      masterUsername: "shop_admin",
      allocatedStorage: 100,
    },
    configKeys: {
      "payments-api-url": {
        description: "PayPal REST API base URL",
        external: { production: ["api-m.paypal.com"] },
      },
      "payments-client-secret": { description: "PayPal client secret", secret: true },
      "mail-api-url": { description: "Postmark API", external: { production: ["api.postmarkapp.com"] } },
      "feature-flags": { description: "Comma-separated feature flags" },
    },
    production: { secretPrefixes: ["shop/production/"] },
  };
}

let rulesFilePath: string | undefined;

/** A masking rules file on disk (its content only matters to the digest here), one per test process. */
export function rulesFile(): string {
  if (!rulesFilePath) {
    const dir = mkdtempSync(join(tmpdir(), "parity-components-"));
    rulesFilePath = join(dir, "masking.yaml");
    writeFileSync(rulesFilePath, "tables:\n  public.customers:\n    email: email\n");
  }
  return rulesFilePath;
}

export const FIXED_NOW = new Date("2026-03-01T12:00:00Z");

export function tierArgs(
  tier: Tier,
  app: AppDefinition,
  extra: Partial<EnvironmentArgs> = {},
): EnvironmentArgs {
  const production = tier === "production";
  return {
    app,
    tier,
    branch: tier === "preview" ? "feature/Login-Page" : undefined,
    config: {
      "payments-api-url": production ? "https://api-m.paypal.com" : "https://api-m.sandbox.paypal.com",
      "payments-client-secret": pulumi.secret(production ? "prod-secret" : "sandbox-secret"),
      "mail-api-url": production ? "https://api.postmarkapp.com" : "https://sandbox.postmark.test",
      "feature-flags": "checkout-v2",
    },
    masterPassword: pulumi.secret(`${tier}-password`),
    masking: production ? undefined : { rulesFile: rulesFile(), key: pulumi.secret("masking-key") },
    network: production
      ? { subnetGroupName: "private-db", securityGroupIds: ["sg-prod"] }
      : {
          subnetGroupName: "private-db",
          vpcId: "vpc-0abc",
          maskingRunner: { cidrBlocks: ["10.0.12.0/24"] },
          clientSecurityGroupIds: ["sg-app"],
        },
    now: () => FIXED_NOW,
    ...extra,
  };
}
