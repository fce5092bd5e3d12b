// The stack program: reads the stack's config and builds its tier of the shop app.
//
// Config namespaces:
//   parity:*  how to build the tier (tier, branch, passwords, masking, clone options)
//   shop:*    the app's config values: exactly the declared key set (secrets with --secret)
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ParityInputError } from "../audit/core/errors.ts";
import { type AppDefinition, Environment, isTier } from "../components/index.ts";
import { shop } from "./app.ts";
import { plainTextSecrets, SECRET_PARITY_KEYS, unknownParityKeys } from "./stack-config.ts";

export interface BuildStackOptions {
  app?: AppDefinition;
  now?: () => Date;
  /** Replaces the masking gate's dynamic provider (tests, examples). */
  maskingProvider?: pulumi.dynamic.ResourceProvider;
}

/** The app's config values from `<app>:<key>`: every key present in the stack, declared or not. */
function readAppValues(app: AppDefinition): Record<string, pulumi.Input<string>> {
  const config = new pulumi.Config(app.name);
  const prefix = `${app.name}:`;
  const values: Record<string, pulumi.Input<string>> = {};
  for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    // Undeclared keys are read too, so the Environment can reject them by name.
    values[key] = app.configKeys[key]?.secret ? config.requireSecret(key) : config.require(key);
  }
  return values;
}

/** Every key the stack must store encrypted: parity's secrets and the app's secret keys. */
function secretKeys(app: AppDefinition): string[] {
  return [
    ...SECRET_PARITY_KEYS.map((key) => `parity:${key}`),
    ...Object.entries(app.configKeys)
      .filter(([, spec]) => spec.secret === true)
      .map(([key]) => `${app.name}:${key}`),
  ];
}

export function buildStack(options: BuildStackOptions = {}): Environment {
  const app = options.app ?? shop;
  const presentKeys = Object.keys(pulumi.runtime.allConfig());
  const parity = new pulumi.Config("parity");
  const stack = pulumi.getStack();
  const tier = parity.get("tier");
  const maskingKey = parity.getSecret("maskingKey");
  const rulesFile = parity.get("maskingRules");
  const masterPassword = parity.getSecret("masterPassword");
  const snapshotType = parity.get("snapshotType");

  // Stack-config problems, all at once, named by their config keys.
  const problems: string[] = [
    ...unknownParityKeys(presentKeys),
    ...plainTextSecrets(presentKeys, secretKeys(app)),
  ];
  if (!isTier(tier)) problems.push(`parity:tier "${tier ?? ""}" is not one of production, staging, preview`);
  if (masterPassword === undefined)
    problems.push("parity:masterPassword is missing (pulumi config set --secret)");
  if (tier !== "production") {
    if (maskingKey === undefined)
      problems.push("parity:maskingKey is missing (pulumi config set --secret); clones are masked");
    if (rulesFile === undefined)
      problems.push("parity:maskingRules is missing (path of the masking rules file)");
  }
  if (snapshotType !== undefined && snapshotType !== "automated" && snapshotType !== "manual") {
    problems.push(`parity:snapshotType "${snapshotType}" must be automated or manual`);
  }
  if (!isTier(tier) || masterPassword === undefined || problems.length > 0) {
    throw new ParityInputError(`stack ${stack}: stack config is incomplete`, problems);
  }

  const production = tier === "production";
  return new Environment(`${app.name}-${tier}`, {
    app,
    tier,
    branch: parity.get("branch"),
    config: readAppValues(app),
    masterPassword,
    clone: production
      ? undefined
      : {
          generation: parity.get("cloneGeneration"),
          snapshotIdentifier: parity.get("snapshotIdentifier"),
          snapshotType: snapshotType as "automated" | "manual" | undefined,
          restoreToTime: parity.get("restoreToTime"),
        },
    masking:
      production || maskingKey === undefined || rulesFile === undefined
        ? undefined
        : {
            rulesFile: resolve(rulesFile),
            key: maskingKey,
            keyReference: parity.get("maskingKeyReference"),
            connectTimeoutSeconds: parity.getNumber("maskingConnectTimeoutSeconds"),
            deadlineMinutes: parity.getNumber("maskingDeadlineMinutes"),
            provider: options.maskingProvider,
          },
    network: {
      subnetGroupName: parity.get("subnetGroupName"),
      securityGroupIds: parity.getObject<string[]>("securityGroupIds"),
      vpcId: parity.get("vpcId"),
      clientSecurityGroupIds: parity.getObject<string[]>("clientSecurityGroupIds"),
      maskingRunner: production
        ? undefined
        : {
            cidrBlocks: parity.getObject<string[]>("maskingRunnerCidrBlocks"),
            securityGroupId: parity.get("maskingRunnerSecurityGroupId"),
          },
    },
    previewTtlDays: parity.getNumber("previewTtlDays"),
    now: options.now,
    tags: parity.getObject<Record<string, string>>("tags"),
  });
}
