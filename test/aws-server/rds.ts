// RDS's Query protocol for the four Describe calls the audit makes: form-encoded POST with
// `Action` and `Version=2014-10-31`, XML responses `<{Action}Response>` / `<{Action}Result>` in the
// `http://rds.amazonaws.com/doc/2014-10-31/` namespace, Marker paging honouring MaxRecords (20–100),
// and `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` errors.
import { randomUUID } from "node:crypto";

export const RDS_NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";
export const RDS_VERSION = "2014-10-31";

export interface DbInstanceFixture {
  identifier: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  storageType?: string;
  storageEncrypted?: boolean;
  multiAZ?: boolean;
  autoMinorVersionUpgrade?: boolean;
  backupRetentionPeriod?: number;
  deletionProtection?: boolean;
  parameterGroup?: string;
  clusterIdentifier?: string;
  endpoint?: string;
}

export interface DbClusterFixture {
  identifier: string;
  engine: string;
  engineVersion: string;
  storageType?: string;
  storageEncrypted?: boolean;
  multiAZ?: boolean;
  autoMinorVersionUpgrade?: boolean;
  backupRetentionPeriod?: number;
  deletionProtection?: boolean;
  parameterGroup: string;
  /** Multi-AZ DB clusters only; Aurora clusters leave it unset and report it per member. */
  clusterInstanceClass?: string;
  members: Array<{ identifier: string; writer: boolean }>;
  endpoint?: string;
}

export interface ParameterFixture {
  name: string;
  value?: string;
  source?: "user" | "system" | "engine-default";
  applyType?: "static" | "dynamic";
}

export interface RdsFixtures {
  instances?: DbInstanceFixture[];
  clusters?: DbClusterFixture[];
  parameterGroups?: Record<string, ParameterFixture[]>;
  clusterParameterGroups?: Record<string, ParameterFixture[]>;
}

export interface XmlResponse {
  status: number;
  body: string;
}

export function rdsError(status: number, code: string, message: string, type = "Sender"): XmlResponse {
  return {
    status,
    body:
      `<ErrorResponse xmlns="${RDS_NAMESPACE}"><Error><Type>${type}</Type><Code>${esc(code)}</Code>` +
      `<Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

export class RdsStore {
  constructor(private readonly fixtures: RdsFixtures) {}

  handle(params: URLSearchParams): XmlResponse {
    const action = params.get("Action") ?? "";
    if (params.get("Version") !== RDS_VERSION) {
      return rdsError(400, "InvalidParameterValue", `Unsupported Version ${params.get("Version")}`);
    }
    const maxRecords = params.has("MaxRecords") ? Number(params.get("MaxRecords")) : 100;
    if (!Number.isInteger(maxRecords) || maxRecords < 20 || maxRecords > 100) {
      return rdsError(
        400,
        "InvalidParameterValue",
        "Invalid value for MaxRecords. Must be between 20 and 100",
      );
    }
    const marker = params.get("Marker");
    const start = marker === null ? 0 : Number.parseInt(Buffer.from(marker, "base64").toString("utf8"), 10);
    if (Number.isNaN(start)) return rdsError(400, "InvalidParameterValue", "Invalid Marker");

    switch (action) {
      case "DescribeDBInstances": {
        const id = params.get("DBInstanceIdentifier");
        let rows = this.fixtures.instances ?? [];
        if (id !== null) {
          rows = rows.filter((row) => row.identifier === id);
          if (rows.length === 0) return rdsError(404, "DBInstanceNotFound", `DBInstance ${id} not found.`);
        }
        const filters = parseFilters(params);
        const clusterIds = filters.get("db-cluster-id");
        if (clusterIds) rows = rows.filter((row) => clusterIds.includes(row.clusterIdentifier ?? ""));
        const instanceIds = filters.get("db-instance-id");
        if (instanceIds) rows = rows.filter((row) => instanceIds.includes(row.identifier));
        return page(action, "DBInstances", rows.map(instanceXml), start, maxRecords);
      }
      case "DescribeDBClusters": {
        const id = params.get("DBClusterIdentifier");
        let rows = this.fixtures.clusters ?? [];
        if (id !== null) {
          rows = rows.filter((row) => row.identifier === id);
          if (rows.length === 0) return rdsError(404, "DBClusterNotFoundFault", `DBCluster ${id} not found.`);
        }
        return page(action, "DBClusters", rows.map(clusterXml), start, maxRecords);
      }
      case "DescribeDBParameters":
      case "DescribeDBClusterParameters": {
        const groups =
          action === "DescribeDBParameters"
            ? this.fixtures.parameterGroups
            : this.fixtures.clusterParameterGroups;
        const nameParam =
          action === "DescribeDBParameters" ? "DBParameterGroupName" : "DBClusterParameterGroupName";
        const name = params.get(nameParam);
        if (name === null)
          return rdsError(400, "MissingParameter", `The request must contain the parameter ${nameParam}`);
        const group = groups?.[name];
        if (group === undefined) {
          return rdsError(
            404,
            "DBParameterGroupNotFound",
            `${action === "DescribeDBParameters" ? "DBParameterGroup" : "DBClusterParameterGroup"} not found: ${name}`,
          );
        }
        const source = params.get("Source");
        const rows = source === null ? group : group.filter((p) => (p.source ?? "engine-default") === source);
        return page(action, "Parameters", rows.map(parameterXml), start, maxRecords);
      }
      default:
        return rdsError(400, "InvalidAction", `The action ${action} is not valid for this web service.`);
    }
  }
}

function parseFilters(params: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (let n = 1; params.has(`Filters.Filter.${n}.Name`); n++) {
    const values: string[] = [];
    for (let m = 1; params.has(`Filters.Filter.${n}.Values.Value.${m}`); m++) {
      values.push(params.get(`Filters.Filter.${n}.Values.Value.${m}`) as string);
    }
    filters.set(params.get(`Filters.Filter.${n}.Name`) as string, values);
  }
  return filters;
}

function page(
  action: string,
  listElement: string,
  items: string[],
  start: number,
  maxRecords: number,
): XmlResponse {
  const slice = items.slice(start, start + maxRecords);
  const next =
    start + maxRecords < items.length
      ? Buffer.from(String(start + maxRecords)).toString("base64")
      : undefined;
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${RDS_NAMESPACE}"><${action}Result>` +
    `<${listElement}>${slice.join("")}</${listElement}>` +
    (next !== undefined ? `<Marker>${esc(next)}</Marker>` : "") +
    `</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, body };
}

function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${esc(String(value))}</${name}>`;
}

function instanceXml(i: DbInstanceFixture): string {
  const host = i.endpoint ?? `${i.identifier}.abcdefghijkl.us-east-1.rds.amazonaws.com`;
  return (
    "<DBInstance>" +
    el("DBInstanceIdentifier", i.identifier) +
    el("DBInstanceClass", i.instanceClass) +
    el("Engine", i.engine) +
    el("DBInstanceStatus", "available") +
    `<Endpoint>${el("Address", host)}${el("Port", 5432)}${el("HostedZoneId", "Z2R2ITUGPM61AM")}</Endpoint>` +
    el("AllocatedStorage", 100) +
    el("InstanceCreateTime", "2024-01-15T10:00:00.000Z") +
    el("BackupRetentionPeriod", i.backupRetentionPeriod ?? 7) +
    (i.parameterGroup !== undefined
      ? `<DBParameterGroups><DBParameterGroup>${el("DBParameterGroupName", i.parameterGroup)}${el("ParameterApplyStatus", "in-sync")}</DBParameterGroup></DBParameterGroups>`
      : "<DBParameterGroups/>") +
    el("MultiAZ", i.multiAZ ?? false) +
    el("EngineVersion", i.engineVersion) +
    el("AutoMinorVersionUpgrade", i.autoMinorVersionUpgrade ?? true) +
    el("StorageType", i.storageType ?? "gp3") +
    el("StorageEncrypted", i.storageEncrypted ?? true) +
    el("DBInstanceArn", `arn:aws:rds:us-east-1:123456789012:db:${i.identifier}`) +
    el("DeletionProtection", i.deletionProtection ?? false) +
    el("DBClusterIdentifier", i.clusterIdentifier) +
    "</DBInstance>"
  );
}

function clusterXml(c: DbClusterFixture): string {
  const members = c.members
    .map(
      (m) =>
        `<DBClusterMember>${el("DBInstanceIdentifier", m.identifier)}${el("IsClusterWriter", m.writer)}` +
        `${el("DBClusterParameterGroupStatus", "in-sync")}${el("PromotionTier", 1)}</DBClusterMember>`,
    )
    .join("");
  return (
    "<DBCluster>" +
    el("DBClusterIdentifier", c.identifier) +
    el("DBClusterParameterGroup", c.parameterGroup) +
    el("Status", "available") +
    el("Endpoint", c.endpoint ?? `${c.identifier}.cluster-abcdefghijkl.us-east-1.rds.amazonaws.com`) +
    el("ReaderEndpoint", `${c.identifier}.cluster-ro-abcdefghijkl.us-east-1.rds.amazonaws.com`) +
    el("MultiAZ", c.multiAZ ?? false) +
    el("Engine", c.engine) +
    el("EngineVersion", c.engineVersion) +
    el("Port", 5432) +
    `<DBClusterMembers>${members}</DBClusterMembers>` +
    el("StorageEncrypted", c.storageEncrypted ?? true) +
    el("DBClusterArn", `arn:aws:rds:us-east-1:123456789012:cluster:${c.identifier}`) +
    el("DeletionProtection", c.deletionProtection ?? false) +
    el("BackupRetentionPeriod", c.backupRetentionPeriod ?? 7) +
    el("StorageType", c.storageType) +
    el("AutoMinorVersionUpgrade", c.autoMinorVersionUpgrade) +
    el("DBClusterInstanceClass", c.clusterInstanceClass) +
    "</DBCluster>"
  );
}

function parameterXml(p: ParameterFixture): string {
  return (
    "<Parameter>" +
    el("ParameterName", p.name) +
    el("ParameterValue", p.value) +
    el("Description", `The ${p.name} setting`) +
    el("Source", p.source ?? "engine-default") +
    el("ApplyType", p.applyType ?? "dynamic") +
    el("DataType", "string") +
    el("IsModifiable", true) +
    el("ApplyMethod", "pending-reboot") +
    "</Parameter>"
  );
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
