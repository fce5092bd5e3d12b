// One tier of an app — production, staging or a branch preview — from one args object. The shared
// AppDefinition supplies everything that must be identical across tiers; TIER_SETTINGS (plus the
// app's declared overrides) supplies the differences. Construction validates everything first and
// creates nothing when anything is wrong.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ParityInputError } from "../audit/core/errors.ts";
import {
  type AppDefinition,
  type DatabaseKind,
  type EngineSpec,
  engineSpec,
  parameterValues,
  validateApp,
} from "./app.ts";
import { findProductionEndpoints, validateConfigValues } from "./config-keys.ts";
import { Database, type DatabaseSource } from "./database.ts";
import {
  checkProductionReferences,
  checkProtections,
  type ProductionFootprint,
  resolvedValueProblems,
} from "./guardrails.ts";
import { MaskingGate, maskingGateProvider } from "./masking-gate.ts";
import {
  DEFAULT_PREVIEW_TTL_DAYS,
  databaseIdentifier,
  environmentSlug,
  expiresAt,
  RDS_IDENTIFIER_MAX,
  ssmPath,
  tagValue,
} from "./naming.ts";
import { ParameterGroup } from "./parameter-group.ts";
import { databaseResourceName } from "./replacement.ts";
import { SsmConfig } from "./ssm-config.ts";
import { isTier, resolveTierSettings, type Tier, type TierSettings } from "./tiers.ts";

/** How a non-production tier copies production's data. */
export interface CloneArgs {
  /** RDS instance: restore this snapshot instead of the most recent one found by lookup. */
  readonly snapshotIdentifier?: string;
  /** RDS instance: only consider automated or manual snapshots in the lookup (default: both). */
  readonly snapshotType?: "automated" | "manual";
  /** Aurora: clone production as of this time (RFC 3339) instead of its latest restorable time. */
  readonly restoreToTime?: string;
  /**
   * Bump to rebuild this tier from production's current data on the next `up`. It is part of the
   * database's resource name and identifier: the new clone is created and masked next to the old
   * one, then the old one is deleted. Until it changes, newer snapshots never replace the database.
   */
  readonly generation?: string | number;
}

/** The masking run that must succeed before a clone's connection details are published. */
export interface MaskingArgs {
  /** The masking rules file (validated by the masking library). */
  readonly rulesFile: string;
  /** The HMAC key; the same key in every clone keeps masked rows recognisable across clones. */
  readonly key: pulumi.Input<string>;
  /** Where the key comes from (an SSM name or ARN); checked against production's paths and secrets. */
  readonly keyReference?: string;
  /** Worker command (default: this Node with tsx running components/masking-worker.ts) and its cwd. */
  readonly command?: readonly string[];
  readonly cwd?: string;
  /** `sslmode` of the masking connection (default `no-verify`: encrypted, RDS CA not pinned). */
  readonly sslMode?: string;
  /** Replaces the dynamic provider (tests, custom runners). */
  readonly provider?: pulumi.dynamic.ResourceProvider;
}

export interface NetworkArgs {
  readonly subnetGroupName?: pulumi.Input<string>;
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface EnvironmentArgs {
  /** Shared by every tier: engine pin, parameters, extensions, config keys, declared tier overrides. */
  readonly app: AppDefinition;
  readonly tier: Tier;
  /** Previews only: the git branch, which names the preview. */
  readonly branch?: string;
  /** A value for every declared config key; secret keys take Pulumi secrets. */
  readonly config: Readonly<Record<string, pulumi.Input<string>>>;
  /** This tier's own master password (a Pulumi secret). Clones get it set right after the restore. */
  readonly masterPassword: pulumi.Input<string>;
  /** Non-production only: how to copy production's data. */
  readonly clone?: CloneArgs;
  /** Non-production only, and required there: the masking run gating the clone. */
  readonly masking?: MaskingArgs;
  readonly network?: NetworkArgs;
  /** Previews only: days until `parity:expires-at`, counted from this deploy (default 7). */
  readonly previewTtlDays?: number;
  /** The deploy time, injectable for tests (default: the clock). */
  readonly now?: () => Date;
  /** Extra tags; keys starting with `parity:` are reserved. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Everything the Environment will build, computed without touching Pulumi. */
export interface EnvironmentPlan {
  readonly tier: Tier;
  readonly kind: DatabaseKind;
  readonly engine: EngineSpec;
  readonly settings: TierSettings;
  readonly parameters: Record<string, string>;
  readonly identifier: string;
  readonly resourceName: string;
  readonly parameterGroupName: string;
  readonly ssmPath: string;
  readonly production: ProductionFootprint;
  readonly source?: DatabaseSource;
  readonly tags: Record<string, string>;
  readonly expiresAt?: string;
}

const RESERVED_TAG_PREFIX = "parity:";

function isPlain(value: unknown): value is string {
  return typeof value === "string";
}

/**
 * Validates the args and computes names, settings and tags. Returns every problem at once; the
 * constructor throws them as one ParityInputError. Plain values only: outputs (secrets) are
 * checked when they resolve.
 */
export function planEnvironment(
  name: string,
  args: Omit<EnvironmentArgs, "now">,
  now: Date,
  /** The Pulumi stack, tagged so a reaper knows which stack to destroy. */
  stack?: string,
): { plan?: EnvironmentPlan; problems: string[] } {
  const problems: string[] = [];
  const { app, tier } = args;
  if (!isTier(tier))
    return { problems: [`tier "${String(tier)}" is not one of production, staging, preview`] };
  problems.push(...validateApp(app).map((p) => `app.${p}`));
  const settings = resolveTierSettings(tier, app.tiers?.[tier]);
  const kind = app.database.kind;
  problems.push(...checkProtections({ tier, settings, storageEncrypted: true }));

  // Config: every declared key, nothing else; secrets only from Pulumi secrets.
  problems.push(...validateConfigValues(app.configKeys, args.config, `${tier}`));
  for (const [key, spec] of Object.entries(app.configKeys)) {
    if (spec.secret && isPlain(args.config[key])) {
      problems.push(
        `config key ${key} is secret: give it as a Pulumi secret (pulumi config set --secret), not plain text`,
      );
    }
  }
  if (isPlain(args.masterPassword)) problems.push("masterPassword must be a Pulumi secret, not plain text");

  // Tier-specific args.
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
  } else {
    if (args.masking === undefined) {
      problems.push(
        `${tier}: a clone of production needs masking (rulesFile and key); parity never hands out an unmasked clone`,
      );
    } else {
      if (args.masking.rulesFile.trim() === "") problems.push(`${tier}: masking.rulesFile is not set`);
      if (isPlain(args.masking.key)) {
        problems.push(
          `${tier}: masking.key must be a Pulumi secret (the same key in every clone), not plain text`,
        );
      }
    }
    if (
      kind === "cluster" &&
      (args.clone?.snapshotIdentifier !== undefined || args.clone?.snapshotType !== undefined)
    ) {
      problems.push(
        `${tier}: clone.snapshotIdentifier/snapshotType are for RDS instances; Aurora is cloned copy-on-write`,
      );
    }
    if (kind === "instance" && args.clone?.restoreToTime !== undefined) {
      problems.push(`${tier}: clone.restoreToTime is for Aurora clones; RDS instances restore a snapshot`);
    }
  }
  for (const key of Object.keys(args.tags ?? {})) {
    if (key.startsWith(RESERVED_TAG_PREFIX))
      problems.push(`tags.${key}: tags starting with "parity:" are set by the component`);
  }
  if (problems.length > 0) return { problems };

  const maxLength = kind === "cluster" ? RDS_IDENTIFIER_MAX - 3 : RDS_IDENTIFIER_MAX; // room for `-N` instances
  const names = { app: app.name, tier, branch: args.branch };
  const generation = tier === "production" ? undefined : args.clone?.generation;
  const productionIdentifier =
    app.production?.databaseIdentifier ?? environmentSlug({ app: app.name, tier: "production" }, maxLength);
  const identifier =
    tier === "production" ? productionIdentifier : databaseIdentifier(names, generation, maxLength);
  const engine = engineSpec(app.database);
  const production: ProductionFootprint = {
    databaseIdentifier: productionIdentifier,
    ssmPath: ssmPath({ app: app.name, tier: "production" }),
    secretPrefixes: app.production?.secretPrefixes ?? [],
  };
  const path = ssmPath(names);

  if (tier !== "production") {
    const plainValues = Object.fromEntries(
      Object.entries(args.config).filter((entry): entry is [string, string] => isPlain(entry[1])),
    );
    problems.push(
      ...findProductionEndpoints(app.configKeys, plainValues).map((p) => `${tier}: config key ${p}`),
    );
    problems.push(
      ...checkProductionReferences(
        {
          tier,
          databaseIdentifier: identifier,
          ssmPath: path,
          plainValues,
          references: args.masking?.keyReference === undefined ? [] : [args.masking.keyReference],
        },
        production,
      ),
    );
  }
  if (problems.length > 0) return { problems };

  const source: DatabaseSource | undefined =
    tier === "production"
      ? undefined
      : kind === "instance"
        ? {
            from: "snapshot",
            productionIdentifier,
            snapshotIdentifier: args.clone?.snapshotIdentifier,
            snapshotType: args.clone?.snapshotType,
          }
        : { from: "clone", productionIdentifier, restoreToTime: args.clone?.restoreToTime };

  const expiry =
    tier === "preview" ? expiresAt(now, args.previewTtlDays ?? DEFAULT_PREVIEW_TTL_DAYS) : undefined;
  const tags: Record<string, string> = {
    ...args.tags,
    "parity:app": app.name,
    "parity:tier": tier,
    "parity:managed-by": "pulumi",
    ...(stack === undefined ? {} : { "parity:stack": tagValue(stack) }),
    ...(tier === "preview"
      ? { "parity:branch": tagValue(args.branch ?? ""), "parity:expires-at": expiry ?? "" }
      : {}),
  };
  return {
    problems,
    plan: {
      tier,
      kind,
      engine,
      settings,
      parameters: parameterValues(app.database),
      identifier,
      resourceName: databaseResourceName(name, generation),
      parameterGroupName: `${environmentSlug(names)}-${engine.family}`,
      ssmPath: path,
      production,
      source,
      tags,
      expiresAt: expiry,
    },
  };
}

/** Default masking worker: this Node, with tsx, running masking-worker.ts from the repository root. */
export function defaultMaskingCommand(): { command: string[]; cwd: string } {
  const worker = fileURLToPath(new URL("./masking-worker.ts", import.meta.url));
  return { command: [process.execPath, "--import", "tsx", worker], cwd: resolve(dirname(worker), "..") };
}

export class Environment extends pulumi.ComponentResource {
  /** SSM prefix of this tier's config, e.g. `/shop/staging/`. */
  readonly ssmPath: pulumi.Output<string>;
  /** RDS instance identifier or Aurora cluster identifier. */
  readonly databaseIdentifier: pulumi.Output<string>;
  /** `instance` (RDS for PostgreSQL) or `cluster` (Aurora PostgreSQL). */
  readonly databaseKind: pulumi.Output<DatabaseKind>;
  /** `host:port`; for clones only known once masking succeeded. */
  readonly databaseEndpoint: pulumi.Output<string>;
  /** The engine version AWS reports as running (not the requested one). */
  readonly databaseEngineVersion: pulumi.Output<string>;
  readonly parameterGroupName: pulumi.Output<string>;
  readonly awsRegion: pulumi.Output<string>;
  readonly tier: Tier;
  /** Previews: when the reaper may destroy it (ISO-8601 UTC). Undefined for other tiers. */
  readonly expiresAt: pulumi.Output<string | undefined>;
  /** Extensions every tier declares (creating them is the migrations' job). */
  readonly extensions: pulumi.Output<string[]>;
  readonly plan: EnvironmentPlan;
  readonly database: Database;
  readonly config: SsmConfig;
  /** Non-production only: the masking run that gates the connection details. */
  readonly maskingGate?: MaskingGate;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("parity:index:Environment", name, {}, opts);
    const now = (args.now ?? (() => new Date()))();
    const { plan, problems } = planEnvironment(name, args, now, pulumi.getStack());
    let rulesDigest = "";
    if (plan && args.masking) {
      try {
        rulesDigest = createHash("sha256").update(readFileSync(args.masking.rulesFile)).digest("hex");
      } catch (error) {
        problems.push(
          `${args.tier}: masking.rulesFile ${args.masking.rulesFile} cannot be read (${(error as Error).message})`,
        );
      }
    }
    if (!plan || problems.length > 0) {
      throw new ParityInputError(`Environment "${name}" (${String(args.tier)}) cannot be built`, problems);
    }
    this.plan = plan;
    this.tier = plan.tier;
    const { app } = args;

    const parameterGroup = new ParameterGroup(
      `${name}-params`,
      {
        kind: plan.kind,
        groupName: plan.parameterGroupName,
        family: plan.engine.family,
        parameters: plan.parameters,
        tags: plan.tags,
      },
      { parent: this },
    );
    this.database = new Database(
      plan.resourceName,
      {
        kind: plan.kind,
        identifier: plan.identifier,
        engine: plan.engine,
        settings: plan.settings,
        parameterGroupName: parameterGroup.groupName,
        databaseName: app.database.databaseName,
        masterUsername: app.database.masterUsername,
        masterPassword: args.masterPassword,
        allocatedStorage: app.database.allocatedStorage,
        kmsKeyId: app.database.kmsKeyId,
        source: plan.source,
        subnetGroupName: args.network?.subnetGroupName,
        securityGroupIds: args.network?.securityGroupIds,
        tags: plan.tags,
      },
      { parent: this },
    );

    let host: pulumi.Output<string> = this.database.host;
    let port: pulumi.Output<number> = this.database.port;
    // Outside production every connection value waits for the masking run.
    let afterMasking = (value: pulumi.Input<string>): pulumi.Output<string> => pulumi.output(value);
    if (args.masking) {
      const defaults = defaultMaskingCommand();
      const gate = new MaskingGate(
        `${plan.resourceName}-masking`,
        {
          databaseIdentifier: this.database.identifier,
          databaseResourceId: this.database.resourceId,
          host: this.database.host,
          port: this.database.port,
          databaseName: app.database.databaseName,
          username: app.database.masterUsername,
          password: args.masterPassword,
          rulesFile: resolve(args.masking.rulesFile),
          rulesDigest,
          key: args.masking.key,
          command: args.masking.command ?? defaults.command,
          cwd: args.masking.cwd ?? defaults.cwd,
          sslMode: args.masking.sslMode,
        },
        // The whole database (cluster AND its instances) must be up before masking connects.
        { parent: this, dependsOn: [this.database] },
        args.masking.provider ?? maskingGateProvider(),
      );
      this.maskingGate = gate;
      // Connection details come from the gate: they do not exist until masking succeeded.
      host = gate.host;
      port = gate.port;
      afterMasking = (value) => pulumi.all([gate.maskedAt, value]).apply(([, resolved]) => resolved);
    }

    this.config = new SsmConfig(
      `${name}-config`,
      {
        path: plan.ssmPath,
        keys: app.configKeys,
        values: this.guardValues(args),
        connection: {
          "database-host": host,
          "database-port": port.apply(String),
          "database-name": afterMasking(app.database.databaseName),
          "database-user": afterMasking(app.database.masterUsername),
          "database-password": afterMasking(args.masterPassword),
        },
        tags: plan.tags,
      },
      { parent: this },
    );

    this.ssmPath = pulumi.output(plan.ssmPath);
    this.databaseIdentifier = this.database.identifier;
    this.databaseKind = pulumi.output(plan.kind);
    this.databaseEndpoint = pulumi.interpolate`${host}:${port}`;
    this.databaseEngineVersion = this.database.engineVersionActual;
    this.parameterGroupName = parameterGroup.groupName;
    this.awsRegion = aws.getRegionOutput({}, { parent: this }).region;
    this.expiresAt = pulumi.output(plan.expiresAt);
    this.extensions = pulumi.output([...app.database.extensions]);
    this.registerOutputs(this.outputs());
  }

  /** The stack outputs the audit's discovery reads, under their contract names. */
  outputs(): Record<string, pulumi.Output<unknown>> {
    return {
      ssmPath: this.ssmPath,
      databaseIdentifier: this.databaseIdentifier,
      databaseKind: this.databaseKind,
      databaseEndpoint: this.databaseEndpoint,
      databaseEngineVersion: this.databaseEngineVersion,
      parameterGroupName: this.parameterGroupName,
      awsRegion: this.awsRegion,
    };
  }

  /**
   * Non-production values that are outputs (secrets, stack references) cannot be read at
   * construction: check them as they resolve, failing the parameter (and the `up`) on a hit.
   */
  private guardValues(args: EnvironmentArgs): Record<string, pulumi.Input<string>> {
    if (this.plan.tier === "production") return { ...args.config };
    const guarded: Record<string, pulumi.Input<string>> = {};
    for (const [key, value] of Object.entries(args.config)) {
      if (isPlain(value)) {
        guarded[key] = value;
        continue;
      }
      guarded[key] = pulumi.output(value).apply((resolved) => {
        const found = resolvedValueProblems(
          this.plan.tier,
          args.app.configKeys,
          this.plan.production,
          key,
          resolved,
        );
        if (found.length > 0)
          throw new ParityInputError(`${this.plan.tier}: config key ${key} points at production`, found);
        return resolved;
      });
    }
    return guarded;
  }
}
