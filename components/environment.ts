// One tier of an app — production, staging or a branch preview — from one args object. The shared
// AppDefinition supplies everything that must be identical across tiers; TIER_SETTINGS (plus the
// app's declared overrides) supplies the differences. Construction validates everything first and
// creates nothing when anything is wrong.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ParityInputError } from "../audit/core/errors.ts";
import { parseMaskingRules } from "../audit/masking/index.ts";
import type { DatabaseKind } from "./app.ts";
import { Database } from "./database.ts";
import type { EnvironmentArgs, EnvironmentPlan } from "./environment-args.ts";
import { planEnvironment } from "./environment-plan.ts";
import { isPlain } from "./environment-validation.ts";
import { resolvedValueProblems } from "./guardrails.ts";
import { MaskingGate, maskingGateProvider } from "./masking-gate.ts";
import { ParameterGroup } from "./parameter-group.ts";
import { Quarantine } from "./quarantine.ts";
import { SsmConfig } from "./ssm-config.ts";
import type { Tier } from "./tiers.ts";

export type {
  CloneArgs,
  EnvironmentArgs,
  EnvironmentPlan,
  MaskingArgs,
  MaskingRunnerAccess,
  NetworkArgs,
} from "./environment-args.ts";
export { environmentNames, environmentTags, planEnvironment } from "./environment-plan.ts";
export { validateEnvironmentArgs } from "./environment-validation.ts";

const DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;
const DEFAULT_DEADLINE_MINUTES = 60;

/** The rules file as the gate records it: its digest and every ruled column with its rule. */
export function readRules(file: string): { digest: string; ruledColumns: Record<string, string> } {
  const text = readFileSync(file, "utf8");
  const rules = parseMaskingRules(text, resolve(file));
  const ruledColumns: Record<string, string> = {};
  for (const table of rules.tables) {
    for (const [column, rule] of Object.entries(table.columns)) {
      ruledColumns[`${table.schema}.${table.table}.${column}`] =
        rule.transform === "fixed" ? `fixed:${JSON.stringify(rule.value)}` : rule.transform;
    }
  }
  return { digest: createHash("sha256").update(text).digest("hex"), ruledColumns };
}

/** A path as recorded in state: relative to the program's directory, so every runner records the same. */
export function portablePath(path: string, base = process.cwd()): string {
  const relativePath = relative(base, resolve(base, path));
  return relativePath === "" ? "." : relativePath.split("\\").join("/");
}

/**
 * Default masking worker: `node` (the provider's own Node) with tsx, running masking-worker.ts from
 * the repository root, both relative to the program's directory.
 */
export function defaultMaskingCommand(base = process.cwd()): { command: string[]; cwd: string } {
  const worker = fileURLToPath(new URL("./masking-worker.ts", import.meta.url));
  const root = resolve(dirname(worker), "..");
  return {
    command: ["node", "--import", "tsx", portablePath(relative(root, worker), root)],
    cwd: portablePath(root, base),
  };
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
    let rules: ReturnType<typeof readRules> | undefined;
    if (plan && args.masking) {
      try {
        rules = readRules(args.masking.rulesFile);
      } catch (error) {
        problems.push(
          `${args.tier}: masking.rulesFile ${args.masking.rulesFile} cannot be used (${(error as Error).message})`,
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
    // A clone starts quarantined: its only security group admits the masking runner alone.
    const quarantine =
      plan.tier === "production" || args.network?.vpcId === undefined
        ? undefined
        : new Quarantine(
            `${name}-quarantine`,
            {
              vpcId: args.network.vpcId,
              identifier: plan.identifier,
              maskingRunner: args.network.maskingRunner ?? {},
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
        instanceParameterGroupName: parameterGroup.instanceGroupName,
        databaseName: app.database.databaseName,
        masterUsername: app.database.masterUsername,
        masterPassword: args.masterPassword,
        allocatedStorage: app.database.allocatedStorage,
        kmsKeyId: app.database.kmsKeyId,
        source: plan.source,
        subnetGroupName: args.network?.subnetGroupName,
        securityGroupIds: quarantine ? [quarantine.securityGroupId] : args.network?.securityGroupIds,
        tags: plan.tags,
      },
      { parent: this },
    );

    let host: pulumi.Output<string> = this.database.host;
    let port: pulumi.Output<number> = this.database.port;
    // Outside production every connection value waits for the masking run.
    let afterMasking = (value: pulumi.Input<string>): pulumi.Output<string> => pulumi.output(value);
    if (args.masking && rules) {
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
          rulesFile: portablePath(args.masking.rulesFile),
          rulesDigest: rules.digest,
          ruledColumns: rules.ruledColumns,
          key: args.masking.key,
          command: args.masking.command ?? defaults.command,
          cwd: args.masking.cwd === undefined ? defaults.cwd : portablePath(args.masking.cwd),
          sslMode: args.masking.sslMode,
          connectTimeoutMs: (args.masking.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000,
          deadlineMs: (args.masking.deadlineMinutes ?? DEFAULT_DEADLINE_MINUTES) * 60_000,
        },
        // The whole database (cluster AND its instances) must be up before masking connects.
        { parent: this, dependsOn: [this.database] },
        args.masking.provider ?? maskingGateProvider(),
      );
      this.maskingGate = gate;
      // The app is admitted, and connection details exist, only once masking committed.
      quarantine?.admitAfterMasking(args.network?.clientSecurityGroupIds ?? [], gate.maskedAt, plan.tags);
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
