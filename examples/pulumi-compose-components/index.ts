// Example: composing parity's building blocks yourself. The analytics team wants one masked sandbox
// restored from a specific production snapshot, with its own SSM path, without a full Environment.
// The pieces are the same ones Environment uses, so the engine pin and parameters stay shared.
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import {
  type ConnectionValues,
  Database,
  defaultMaskingCommand,
  engineSpec,
  MaskingGate,
  ParameterGroup,
  parameterValues,
  portablePath,
  Quarantine,
  readRules,
  resolveTierSettings,
  SsmConfig,
} from "../../components/index.ts";
import { shop } from "../../stacks/app.ts";

const config = new pulumi.Config("analytics");
const rulesFile = fileURLToPath(new URL("../../stacks/masking.yaml", import.meta.url));
const snapshot = config.get("snapshotIdentifier") ?? "shop-production-2026-03-01-monthly";
const engine = engineSpec(shop.database);
const tags = { "parity:app": "shop", "parity:tier": "staging", team: "analytics" };

const parameters = new ParameterGroup("analytics-params", {
  kind: "instance",
  groupName: "shop-analytics-postgres15",
  family: engine.family,
  parameters: parameterValues(shop.database),
  tags,
});

// Declared difference of this sandbox: a memory-optimised class for heavy queries.
const settings = resolveTierSettings("staging", { instanceClass: "db.r6g.xlarge" });
const password = config.requireSecret("masterPassword");
// Until masking committed, only the masking runner reaches the restored copy.
const quarantine = new Quarantine("analytics-quarantine", {
  vpcId: config.require("vpcId"),
  identifier: "shop-analytics",
  maskingRunner: { cidrBlocks: [config.require("maskingRunnerCidr")] },
  tags,
});
const database = new Database("analytics-db", {
  kind: "instance",
  identifier: "shop-analytics",
  engine,
  settings,
  parameterGroupName: parameters.groupName,
  databaseName: shop.database.databaseName,
  masterUsername: shop.database.masterUsername,
  masterPassword: password,
  allocatedStorage: shop.database.allocatedStorage,
  source: { from: "snapshot", productionIdentifier: "shop-production", snapshotIdentifier: snapshot },
  securityGroupIds: [quarantine.securityGroupId],
  tags,
});

// Nobody gets the endpoint before masking ran: host and port come from the gate. Paths in its
// state are relative to this program's directory, so every runner records the same inputs.
const rules = readRules(rulesFile);
const gate = new MaskingGate(
  "analytics-masking",
  {
    databaseIdentifier: database.identifier,
    databaseResourceId: database.resourceId,
    host: database.host,
    port: database.port,
    databaseName: shop.database.databaseName,
    username: shop.database.masterUsername,
    password,
    rulesFile: portablePath(rulesFile),
    rulesDigest: rules.digest,
    ruledColumns: rules.ruledColumns,
    key: config.requireSecret("maskingKey"),
    ...defaultMaskingCommand(),
    connectTimeoutMs: 15_000,
    deadlineMs: 60 * 60_000,
  },
  { dependsOn: [database] },
);
quarantine.admitAfterMasking([config.require("analystSecurityGroupId")], gate.maskedAt, tags);

const connection: ConnectionValues = {
  "database-host": gate.host,
  "database-port": gate.port.apply(String),
  "database-name": shop.database.databaseName,
  "database-user": shop.database.masterUsername,
  "database-password": password,
};

const sandboxConfig = new SsmConfig("analytics-config", {
  path: "/shop/analytics/",
  keys: { "warehouse-url": { description: "Where nightly extracts go" } },
  values: { "warehouse-url": "s3://shop-analytics-sandbox/extracts/" },
  connection,
  tags,
});

export const ssmPath = sandboxConfig.path;
export const databaseIdentifier = database.identifier;
export const databaseKind = database.kind;
export const databaseEndpoint = pulumi.interpolate`${gate.host}:${gate.port}`;
export const databaseEngineVersion = database.engineVersionActual;
export const parameterGroupName = parameters.groupName;
