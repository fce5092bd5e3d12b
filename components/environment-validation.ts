// Every check on an Environment's args that needs no names: tier rules, secrets, AWS-valid inputs,
// the clone's network quarantine. Pure; each problem names the arg or setting to fix.
import { type AppDefinition, validateApp } from "./app.ts";
import { instanceClassProblem, restoreToTimeProblem } from "./aws-rules.ts";
import { validateConfigValues } from "./config-keys.ts";
import type { EnvironmentArgs, NetworkArgs } from "./environment-args.ts";
import { checkProtections } from "./guardrails.ts";
import type { Tier, TierSettings } from "./tiers.ts";

const RESERVED_TAG_PREFIX = "parity:";
/** Aurora: one writer plus up to 15 replicas (CreateDBInstance, Aurora User Guide "Aurora Replicas"). */
const MAX_CLUSTER_INSTANCES = 16;
const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function isPlain(value: unknown): value is string {
  return typeof value === "string";
}

/** Where a tier setting came from, so the message names what to edit. */
function settingName(app: AppDefinition, tier: Tier, key: keyof TierSettings): string {
  return app.tiers?.[tier]?.[key] !== undefined ? `app.tiers.${tier}.${key}` : `${tier} default ${key}`;
}

export function checkSettings(app: AppDefinition, tier: Tier, settings: TierSettings): string[] {
  const kind = app.database.kind;
  const problems = checkProtections({ tier, settings, storageEncrypted: true });
  const classProblem = instanceClassProblem(
    kind,
    settings.instanceClass,
    settingName(app, tier, "instanceClass"),
  );
  if (classProblem) problems.push(classProblem);
  if (
    kind === "cluster" &&
    (!Number.isInteger(settings.clusterInstanceCount) ||
      settings.clusterInstanceCount < 1 ||
      settings.clusterInstanceCount > MAX_CLUSTER_INSTANCES)
  ) {
    problems.push(
      `${settingName(app, tier, "clusterInstanceCount")}: must be a whole number from 1 to ${MAX_CLUSTER_INSTANCES} (got ${settings.clusterInstanceCount})`,
    );
  }
  return problems;
}

function checkSecrets(args: Omit<EnvironmentArgs, "now">): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(args.app.configKeys)) {
    if (spec.secret && isPlain(args.config[key])) {
      problems.push(
        `config key ${key} is secret: give it as a Pulumi secret (pulumi config set --secret), not plain text`,
      );
    }
  }
  if (isPlain(args.masterPassword)) problems.push("masterPassword must be a Pulumi secret, not plain text");
  return problems;
}

function checkTierArgs(args: Omit<EnvironmentArgs, "now">, now: Date): string[] {
  const { tier } = args;
  const kind = args.app.database.kind;
  const problems: string[] = [];
  if (tier === "preview") {
    if (args.branch === undefined || !/[a-z0-9]/i.test(args.branch))
      problems.push("preview: branch is required");
  } else {
    if (args.branch !== undefined) problems.push(`${tier}: branch is only for previews`);
    if (args.previewTtlDays !== undefined) problems.push(`${tier}: previewTtlDays is only for previews`);
  }
  if (args.previewTtlDays !== undefined && !(args.previewTtlDays > 0)) {
    problems.push(`preview: previewTtlDays must be a positive number of days (got ${args.previewTtlDays})`);
  }
  if (tier === "production") {
    if (args.clone !== undefined)
      problems.push("production: clone is for non-production tiers; production is never a copy");
    if (args.masking !== undefined)
      problems.push("production: masking rewrites data and never runs on production");
    return problems;
  }
  if (args.masking === undefined) {
    problems.push(
      `${tier}: a clone of production needs masking (rulesFile and key); parity never hands out an unmasked clone`,
    );
  } else {
    const { masking } = args;
    if (masking.rulesFile.trim() === "") problems.push(`${tier}: masking.rulesFile is not set`);
    if (isPlain(masking.key)) {
      problems.push(
        `${tier}: masking.key must be a Pulumi secret (the same key in every clone), not plain text`,
      );
    }
    for (const [setting, value] of [
      ["connectTimeoutSeconds", masking.connectTimeoutSeconds],
      ["deadlineMinutes", masking.deadlineMinutes],
    ] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value > 0))
        problems.push(`${tier}: masking.${setting} must be a positive number (got ${value})`);
    }
  }
  if (
    kind === "cluster" &&
    (args.clone?.snapshotIdentifier !== undefined || args.clone?.snapshotType !== undefined)
  ) {
    problems.push(
      `${tier}: clone.snapshotIdentifier/snapshotType are for RDS instances; Aurora is cloned from the cluster`,
    );
  }
  if (kind === "instance" && args.clone?.restoreToTime !== undefined) {
    problems.push(`${tier}: clone.restoreToTime is for Aurora clones; RDS instances restore a snapshot`);
  }
  if (kind === "cluster" && args.clone?.restoreToTime !== undefined) {
    const problem = restoreToTimeProblem(args.clone.restoreToTime, now, tier);
    if (problem) problems.push(problem);
  }
  problems.push(...checkQuarantineNetwork(tier, args.network));
  return problems;
}

function cidrProblem(cidr: string): string | undefined {
  const match = CIDR_V4.exec(cidr);
  if (!match) return "is not an IPv4 CIDR block (e.g. 10.0.12.0/24)";
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return "is not an IPv4 CIDR block";
  if (prefix === 0) return "admits the whole internet; a quarantine admits only the masking runner";
  return undefined;
}

/**
 * A clone is created inside a quarantine security group that admits only the masking runner; the
 * app's security groups are admitted by rules created after the masking gate committed. Giving the
 * clone its own security groups directly would open it, unmasked, from its first minute.
 */
export function checkQuarantineNetwork(tier: Exclude<Tier, "production">, network?: NetworkArgs): string[] {
  const problems: string[] = [];
  if (network?.securityGroupIds !== undefined) {
    problems.push(
      `${tier}: network.securityGroupIds would open the clone before masking; give network.clientSecurityGroupIds (admitted once masking committed)`,
    );
  }
  if (network?.vpcId === undefined) {
    problems.push(`${tier}: network.vpcId is required (the VPC of the clone's quarantine security group)`);
  }
  const runner = network?.maskingRunner;
  if ((runner?.cidrBlocks ?? []).length === 0 && runner?.securityGroupId === undefined) {
    problems.push(
      `${tier}: network.maskingRunner needs cidrBlocks or securityGroupId (the only client the quarantine admits before masking)`,
    );
  }
  for (const cidr of runner?.cidrBlocks ?? []) {
    const problem = cidrProblem(cidr);
    if (problem) problems.push(`${tier}: network.maskingRunner.cidrBlocks "${cidr}" ${problem}`);
  }
  return problems;
}

/** Every problem with the args that does not depend on derived names. */
export function validateEnvironmentArgs(
  args: Omit<EnvironmentArgs, "now">,
  settings: TierSettings,
  now: Date,
): string[] {
  const { app, tier } = args;
  const problems = validateApp(app).map((p) => `app.${p}`);
  problems.push(...checkSettings(app, tier, settings));
  problems.push(...validateConfigValues(app.configKeys, args.config, `${tier}`));
  problems.push(...checkSecrets(args));
  problems.push(...checkTierArgs(args, now));
  for (const key of Object.keys(args.tags ?? {})) {
    if (key.startsWith(RESERVED_TAG_PREFIX))
      problems.push(`tags.${key}: tags starting with "parity:" are set by the component`);
  }
  return problems;
}
