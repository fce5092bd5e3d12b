// Example: a platform engineer gives the billing team's Aurora app every tier from one module.
//
//   pulumi stack init production && pulumi up            # fresh cluster, protected
//   pulumi stack init staging && pulumi up               # copy-on-write clone of production, masked
//   BRANCH=feature/invoices pulumi stack init preview-feature-invoices && pulumi up
//
// Stack config (namespace `billing`): masterPassword (secret); outside production maskingKey
// (secret), vpcId, maskingRunnerCidr (the CI runner's subnet: the only client of a clone until it
// is masked), appSecurityGroupId (admitted once masking committed), optionally restoreToTime; the
// app keys below, secrets with --secret.
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { defineApp, Environment, type Tier } from "../../components/index.ts";

const billing = defineApp({
  name: "billing",
  database: {
    kind: "cluster",
    engineVersion: "16.4",
    parameters: { log_min_duration_statement: "250", "rds.force_ssl": "1" },
    extensions: ["pg_stat_statements", "pgcrypto"],
    databaseName: "billing",
    masterUsername: "billing_admin",
  },
  configKeys: {
    "stripe-api-url": { description: "Stripe API", external: { production: ["api.stripe.com"] } },
    "stripe-api-key": {
      description: "Stripe secret key",
      secret: true,
      external: { production: ["sk_live_"] },
    },
    "invoice-bucket": { description: "S3 bucket for invoice PDFs" },
  },
  // The billing team's declared differences: a bigger staging for load tests.
  tiers: { staging: { instanceClass: "db.r6g.large", clusterInstanceCount: 2 } },
});

const stack = pulumi.getStack();
const tier: Tier =
  stack === "production" ? "production" : stack.startsWith("preview") ? "preview" : "staging";
const config = new pulumi.Config("billing");
const production = tier === "production";

const environment = new Environment(`billing-${tier}`, {
  app: billing,
  tier,
  branch: tier === "preview" ? (process.env.BRANCH ?? stack.replace(/^preview-/, "")) : undefined,
  config: {
    "stripe-api-url": production ? "https://api.stripe.com" : "https://stripe-mock.billing.internal",
    "stripe-api-key": config.requireSecret("stripe-api-key"),
    "invoice-bucket": `billing-invoices-${tier}`,
  },
  masterPassword: config.requireSecret("masterPassword"),
  masking: production
    ? undefined
    : {
        rulesFile: fileURLToPath(new URL("./masking.yaml", import.meta.url)),
        key: config.requireSecret("maskingKey"),
      },
  // Aurora clones are copy-on-write at production's latest restorable time. restoreToTime (UTC)
  // restores a point in time instead, which AWS does only as a full copy (slower, its own storage
  // bill). Bump generation to refresh either way.
  clone: production
    ? undefined
    : { generation: config.get("cloneGeneration"), restoreToTime: config.get("restoreToTime") },
  network: production
    ? undefined
    : {
        vpcId: config.require("vpcId"),
        maskingRunner: { cidrBlocks: [config.require("maskingRunnerCidr")] },
        clientSecurityGroupIds: [config.require("appSecurityGroupId")],
      },
});

export const {
  ssmPath,
  databaseIdentifier,
  databaseKind,
  databaseEndpoint,
  databaseEngineVersion,
  parameterGroupName,
  awsRegion,
} = {
  ssmPath: environment.ssmPath,
  databaseIdentifier: environment.databaseIdentifier,
  databaseKind: environment.databaseKind,
  databaseEndpoint: environment.databaseEndpoint,
  databaseEngineVersion: environment.databaseEngineVersion,
  parameterGroupName: environment.parameterGroupName,
  awsRegion: environment.awsRegion,
};
export const expiresAt = environment.expiresAt;
