// Reads one environment's database from the RDS API: DescribeDBInstances / DescribeDBClusters and
// the user-set parameters of its parameter groups, every page of each (the SDK paginators follow
// Marker). Read-only calls only; see the README for the IAM policy.
import {
  type DBCluster,
  type DBInstance,
  paginateDescribeDBClusterParameters,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBParameters,
  type RDSClient,
} from "@aws-sdk/client-rds";
import {
  type AwsClientOptions,
  createRdsClient,
  describeAwsError,
  isAwsNotFound,
} from "../../../aws/index.ts";
import type { RdsSpec, ReadContext } from "../../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../../core/errors.ts";
import type { RdsSnapshot } from "./types.ts";

export interface RdsReadOptions {
  aws?: AwsClientOptions;
  /** MaxRecords per Describe call (20–100). Default 100. */
  pageSize?: number;
}

export async function readRds(
  spec: RdsSpec,
  context: ReadContext,
  options: RdsReadOptions = {},
): Promise<RdsSnapshot> {
  const target = validateSpec(spec, context.environment);
  const client = createRdsClient({
    ...options.aws,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
  });
  const what = `RDS ${target.kind} ${target.identifier}`;
  const pageSize = options.pageSize ?? 100;
  try {
    return target.kind === "instance"
      ? await readInstance(client, target.identifier, context, pageSize)
      : await readCluster(client, target.identifier, context, pageSize);
  } catch (error) {
    if (error instanceof ParityInputError || error instanceof EnvironmentReadError) throw error;
    const detail = isAwsNotFound(error)
      ? `${describeAwsError(error)} (check the identifier and region)`
      : describeAwsError(error);
    throw new EnvironmentReadError(context.environment, what, detail, { cause: error });
  } finally {
    client.destroy();
  }
}

function validateSpec(
  spec: RdsSpec,
  environment: string,
): { kind: "instance" | "cluster"; identifier: string } {
  if (spec.instance !== undefined && spec.cluster !== undefined) {
    throw new ParityInputError(`Invalid RDS spec for ${environment}`, [
      `${environment}.rds: give either "instance" or "cluster", not both`,
    ]);
  }
  if (spec.instance !== undefined && spec.instance !== "")
    return { kind: "instance", identifier: spec.instance };
  if (spec.cluster !== undefined && spec.cluster !== "") return { kind: "cluster", identifier: spec.cluster };
  throw new ParityInputError(`Invalid RDS spec for ${environment}`, [
    `${environment}.rds: name the database with "instance" or "cluster"`,
  ]);
}

async function readInstance(
  client: RDSClient,
  id: string,
  context: ReadContext,
  pageSize: number,
): Promise<RdsSnapshot> {
  const instances = await describeInstances(client, { DBInstanceIdentifier: id }, context, pageSize);
  const instance = instances.find((i) => i.DBInstanceIdentifier === id);
  if (instance === undefined)
    throw new EnvironmentReadError(context.environment, `RDS instance ${id}`, "not found");
  const parameterGroup = instance.DBParameterGroups?.[0]?.DBParameterGroupName;
  return {
    environment: context.environment,
    kind: "instance",
    identifier: id,
    engine: instance.Engine ?? "",
    engineVersion: instance.EngineVersion ?? "",
    ...defined({
      instanceClass: instance.DBInstanceClass,
      storageType: instance.StorageType,
      storageEncrypted: instance.StorageEncrypted,
      multiAZ: instance.MultiAZ,
      autoMinorVersionUpgrade: instance.AutoMinorVersionUpgrade,
      backupRetentionPeriod: instance.BackupRetentionPeriod,
      deletionProtection: instance.DeletionProtection,
      parameterGroup,
    }),
    parameters: parameterGroup ? await dbParameters(client, parameterGroup, context, pageSize) : {},
    clusterParameters: {},
  };
}

async function readCluster(
  client: RDSClient,
  id: string,
  context: ReadContext,
  pageSize: number,
): Promise<RdsSnapshot> {
  const clusters: DBCluster[] = [];
  for await (const page of paginateDescribeDBClusters({ client, pageSize }, { DBClusterIdentifier: id })) {
    context.signal?.throwIfAborted();
    clusters.push(...(page.DBClusters ?? []));
  }
  const cluster = clusters.find((c) => c.DBClusterIdentifier === id);
  if (cluster === undefined)
    throw new EnvironmentReadError(context.environment, `RDS cluster ${id}`, "not found");

  const instances = await describeInstances(
    client,
    { Filters: [{ Name: "db-cluster-id", Values: [id] }] },
    context,
    pageSize,
  );
  const byId = new Map(instances.map((i) => [i.DBInstanceIdentifier, i]));
  const members = (cluster.DBClusterMembers ?? []).map((m) => ({
    identifier: m.DBInstanceIdentifier ?? "",
    writer: m.IsClusterWriter === true,
    ...defined({ instanceClass: byId.get(m.DBInstanceIdentifier)?.DBInstanceClass }),
  }));
  const writer = byId.get(members.find((m) => m.writer)?.identifier) ?? instances[0];
  const parameterGroup = writer?.DBParameterGroups?.[0]?.DBParameterGroupName;
  const clusterParameterGroup = cluster.DBClusterParameterGroup;
  const aurora = (cluster.Engine ?? "").startsWith("aurora");

  return {
    environment: context.environment,
    kind: "cluster",
    identifier: id,
    engine: cluster.Engine ?? "",
    engineVersion: cluster.EngineVersion ?? "",
    ...defined({
      instanceClass: cluster.DBClusterInstanceClass ?? writer?.DBInstanceClass,
      storageType: cluster.StorageType ?? (aurora ? "aurora" : undefined),
      storageEncrypted: cluster.StorageEncrypted,
      multiAZ: cluster.MultiAZ,
      autoMinorVersionUpgrade: cluster.AutoMinorVersionUpgrade ?? writer?.AutoMinorVersionUpgrade,
      backupRetentionPeriod: cluster.BackupRetentionPeriod,
      deletionProtection: cluster.DeletionProtection,
      parameterGroup,
      clusterParameterGroup,
    }),
    parameters: parameterGroup ? await dbParameters(client, parameterGroup, context, pageSize) : {},
    clusterParameters: clusterParameterGroup
      ? await clusterParameters(client, clusterParameterGroup, context, pageSize)
      : {},
    members,
  };
}

async function describeInstances(
  client: RDSClient,
  input: Parameters<typeof paginateDescribeDBInstances>[1],
  context: ReadContext,
  pageSize: number,
): Promise<DBInstance[]> {
  const instances: DBInstance[] = [];
  for await (const page of paginateDescribeDBInstances({ client, pageSize }, input)) {
    context.signal?.throwIfAborted();
    instances.push(...(page.DBInstances ?? []));
  }
  return instances;
}

async function dbParameters(client: RDSClient, group: string, context: ReadContext, pageSize: number) {
  const values: Record<string, string> = {};
  const pages = paginateDescribeDBParameters(
    { client, pageSize },
    { DBParameterGroupName: group, Source: "user" },
  );
  for await (const page of pages) {
    context.signal?.throwIfAborted();
    for (const p of page.Parameters ?? [])
      if (p.ParameterName) values[p.ParameterName] = p.ParameterValue ?? "";
  }
  return sortKeys(values);
}

async function clusterParameters(client: RDSClient, group: string, context: ReadContext, pageSize: number) {
  const values: Record<string, string> = {};
  const pages = paginateDescribeDBClusterParameters(
    { client, pageSize },
    { DBClusterParameterGroupName: group, Source: "user" },
  );
  for await (const page of pages) {
    context.signal?.throwIfAborted();
    for (const p of page.Parameters ?? [])
      if (p.ParameterName) values[p.ParameterName] = p.ParameterValue ?? "";
  }
  return sortKeys(values);
}

function sortKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Drops undefined fields so snapshots (and their JSON) only hold what the API reported. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
