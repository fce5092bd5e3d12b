// RDS's Query protocol for the four Describe calls the audit makes, and the snapshot calls of
// `parity promote` / `undo --restore` (CreateDBSnapshot, CreateDBClusterSnapshot, their Describe
// calls, RestoreDBInstanceFromDBSnapshot, RestoreDBClusterFromSnapshot): form-encoded POST with
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
  /** Default "available"; an instance restored from a snapshot starts "creating". */
  status?: string;
  subnetGroup?: string;
  securityGroups?: string[];
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

export interface SnapshotRecord {
  identifier: string;
  /** The instance or cluster it was taken of. */
  source: string;
  engine: string;
  status: "creating" | "available" | "failed";
  /** Describe calls answered so far. */
  polls: number;
  tags: Array<{ key: string; value: string }>;
}

export interface RdsFixtures {
  instances?: DbInstanceFixture[];
  clusters?: DbClusterFixture[];
  /** A new snapshot is "creating" for this many Describe calls, then "available" (default 2). */
  snapshotPolls?: number;
  /** Snapshots whose identifiers match turn "failed" instead of "available". */
  failSnapshots?: RegExp;
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

/** The identifier rules of the RDS API reference (CreateDBSnapshotMessage, CreateDBClusterSnapshotMessage). */
function identifierProblem(id: string, max: number): string | undefined {
  if (
    id.length < 1 ||
    id.length > max ||
    !/^[A-Za-z][A-Za-z0-9-]*$/.test(id) ||
    id.endsWith("-") ||
    id.includes("--")
  ) {
    return `The parameter must be from 1 to ${max} alphanumeric characters or hyphens, the first character must be a letter, and it cannot end with a hyphen or contain two consecutive hyphens.`;
  }
  return undefined;
}

function parseTags(params: URLSearchParams): Array<{ key: string; value: string }> {
  const tags: Array<{ key: string; value: string }> = [];
  for (const member of ["Tag", "member"]) {
    for (let n = 1; params.has(`Tags.${member}.${n}.Key`); n++) {
      tags.push({
        key: params.get(`Tags.${member}.${n}.Key`) as string,
        value: params.get(`Tags.${member}.${n}.Value`) ?? "",
      });
    }
  }
  return tags;
}

export class RdsStore {
  /** Snapshots taken through the API, by identifier (tests read their tags and status). */
  readonly dbSnapshots = new Map<string, SnapshotRecord>();
  readonly clusterSnapshots = new Map<string, SnapshotRecord>();
  /** Restores requested, in order: the new identifier and the request's parameters. */
  readonly restores: Array<{ action: string; identifier: string; params: Record<string, string> }> = [];

  constructor(private readonly fixtures: RdsFixtures) {}

  private poll(snapshot: SnapshotRecord): SnapshotRecord {
    snapshot.polls += 1;
    if (snapshot.status === "creating" && snapshot.polls >= (this.fixtures.snapshotPolls ?? 2)) {
      snapshot.status = this.fixtures.failSnapshots?.test(snapshot.identifier) ? "failed" : "available";
    }
    return snapshot;
  }

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
      case "CreateDBSnapshot":
      case "CreateDBClusterSnapshot": {
        const cluster = action === "CreateDBClusterSnapshot";
        const idParam = cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier";
        const sourceParam = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        const id = params.get(idParam);
        const sourceId = params.get(sourceParam);
        if (id === null || sourceId === null) {
          return rdsError(
            400,
            "MissingParameter",
            `The request must contain the parameter ${id === null ? idParam : sourceParam}`,
          );
        }
        const problem = identifierProblem(id, cluster ? 63 : 255);
        if (problem) return rdsError(400, "InvalidParameterValue", problem);
        const store = cluster ? this.clusterSnapshots : this.dbSnapshots;
        if (store.has(id)) {
          return rdsError(
            400,
            cluster ? "DBClusterSnapshotAlreadyExistsFault" : "DBSnapshotAlreadyExists",
            `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
          );
        }
        const source = cluster
          ? this.fixtures.clusters?.find((row) => row.identifier === sourceId)
          : this.fixtures.instances?.find((row) => row.identifier === sourceId);
        if (!source) {
          return cluster
            ? rdsError(404, "DBClusterNotFoundFault", `DBCluster ${sourceId} not found.`)
            : rdsError(404, "DBInstanceNotFound", `DBInstance ${sourceId} not found.`);
        }
        const snapshot: SnapshotRecord = {
          identifier: id,
          source: sourceId,
          engine: source.engine,
          status: "creating",
          polls: 0,
          tags: parseTags(params),
        };
        store.set(id, snapshot);
        return single(action, cluster ? clusterSnapshotXml(snapshot) : dbSnapshotXml(snapshot));
      }
      case "DescribeDBSnapshots":
      case "DescribeDBClusterSnapshots": {
        const cluster = action === "DescribeDBClusterSnapshots";
        const store = cluster ? this.clusterSnapshots : this.dbSnapshots;
        const id = params.get(cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier");
        let rows = [...store.values()];
        if (id !== null) {
          rows = rows.filter((row) => row.identifier === id);
          if (rows.length === 0) {
            return cluster
              ? rdsError(404, "DBClusterSnapshotNotFoundFault", `DBClusterSnapshot ${id} not found.`)
              : rdsError(404, "DBSnapshotNotFound", `DBSnapshot ${id} not found.`);
          }
        }
        rows = rows.map((row) => this.poll(row));
        return page(
          action,
          cluster ? "DBClusterSnapshots" : "DBSnapshots",
          rows.map(cluster ? clusterSnapshotXml : dbSnapshotXml),
          start,
          maxRecords,
        );
      }
      case "RestoreDBInstanceFromDBSnapshot": {
        const id = params.get("DBInstanceIdentifier") ?? "";
        const problem = identifierProblem(id, 63);
        if (problem) return rdsError(400, "InvalidParameterValue", problem);
        const snapshot = this.dbSnapshots.get(params.get("DBSnapshotIdentifier") ?? "");
        if (!snapshot)
          return rdsError(
            404,
            "DBSnapshotNotFound",
            `DBSnapshot ${params.get("DBSnapshotIdentifier")} not found.`,
          );
        if (snapshot.status !== "available")
          return rdsError(400, "InvalidDBSnapshotState", `Snapshot ${snapshot.identifier} is not available.`);
        this.fixtures.instances ??= [];
        const instances = this.fixtures.instances;
        if (instances.some((row) => row.identifier === id))
          return rdsError(400, "DBInstanceAlreadyExists", "DB instance already exists");
        const original = instances.find((row) => row.identifier === snapshot.source);
        const restored: DbInstanceFixture = {
          identifier: id,
          instanceClass: params.get("DBInstanceClass") ?? original?.instanceClass ?? "db.t4g.medium",
          engine: snapshot.engine,
          engineVersion: original?.engineVersion ?? "15.8",
          status: "creating",
        };
        instances.push(restored);
        this.restores.push({ action, identifier: id, params: Object.fromEntries(params) });
        return single(action, instanceXml(restored));
      }
      case "RestoreDBClusterFromSnapshot": {
        const id = params.get("DBClusterIdentifier") ?? "";
        const problem = identifierProblem(id, 63);
        if (problem) return rdsError(400, "InvalidParameterValue", problem);
        if (!params.get("Engine"))
          return rdsError(400, "MissingParameter", "The request must contain the parameter Engine");
        const snapshot = this.clusterSnapshots.get(params.get("SnapshotIdentifier") ?? "");
        if (!snapshot)
          return rdsError(
            404,
            "DBClusterSnapshotNotFoundFault",
            `DBClusterSnapshot ${params.get("SnapshotIdentifier")} not found.`,
          );
        if (snapshot.status !== "available")
          return rdsError(
            400,
            "InvalidDBClusterSnapshotStateFault",
            `Snapshot ${snapshot.identifier} is not available.`,
          );
        this.fixtures.clusters ??= [];
        const clusters = this.fixtures.clusters;
        if (clusters.some((row) => row.identifier === id))
          return rdsError(400, "DBClusterAlreadyExistsFault", "DB cluster already exists");
        const original = clusters.find((row) => row.identifier === snapshot.source);
        const restored: DbClusterFixture = {
          identifier: id,
          engine: params.get("Engine") as string,
          engineVersion: params.get("EngineVersion") ?? original?.engineVersion ?? "15.8",
          parameterGroup:
            params.get("DBClusterParameterGroupName") ??
            original?.parameterGroup ??
            "default.aurora-postgresql15",
          members: [],
        };
        clusters.push(restored);
        this.restores.push({ action, identifier: id, params: Object.fromEntries(params) });
        return single(action, clusterXml(restored));
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

function single(action: string, item: string): XmlResponse {
  return {
    status: 200,
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${RDS_NAMESPACE}"><${action}Result>${item}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function tagListXml(tags: SnapshotRecord["tags"]): string {
  return `<TagList>${tags.map((tag) => `<Tag>${el("Key", tag.key)}${el("Value", tag.value)}</Tag>`).join("")}</TagList>`;
}

function dbSnapshotXml(s: SnapshotRecord): string {
  return (
    "<DBSnapshot>" +
    el("DBSnapshotIdentifier", s.identifier) +
    el("DBInstanceIdentifier", s.source) +
    el("SnapshotCreateTime", "2024-01-15T10:00:00.000Z") +
    el("Engine", s.engine) +
    el("Status", s.status) +
    el("SnapshotType", "manual") +
    el("DBSnapshotArn", `arn:aws:rds:us-east-1:123456789012:snapshot:${s.identifier}`) +
    tagListXml(s.tags) +
    "</DBSnapshot>"
  );
}

function clusterSnapshotXml(s: SnapshotRecord): string {
  return (
    "<DBClusterSnapshot>" +
    el("DBClusterSnapshotIdentifier", s.identifier) +
    el("DBClusterIdentifier", s.source) +
    el("SnapshotCreateTime", "2024-01-15T10:00:00.000Z") +
    el("Engine", s.engine) +
    el("Status", s.status) +
    el("SnapshotType", "manual") +
    el("DBClusterSnapshotArn", `arn:aws:rds:us-east-1:123456789012:cluster-snapshot:${s.identifier}`) +
    tagListXml(s.tags) +
    "</DBClusterSnapshot>"
  );
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
    el("DBInstanceStatus", i.status ?? "available") +
    `<Endpoint>${el("Address", host)}${el("Port", 5432)}${el("HostedZoneId", "Z2R2ITUGPM61AM")}</Endpoint>` +
    el("AllocatedStorage", 100) +
    el("InstanceCreateTime", "2024-01-15T10:00:00.000Z") +
    el("BackupRetentionPeriod", i.backupRetentionPeriod ?? 7) +
    (i.parameterGroup !== undefined
      ? `<DBParameterGroups><DBParameterGroup>${el("DBParameterGroupName", i.parameterGroup)}${el("ParameterApplyStatus", "in-sync")}</DBParameterGroup></DBParameterGroups>`
      : "<DBParameterGroups/>") +
    (i.subnetGroup !== undefined
      ? `<DBSubnetGroup>${el("DBSubnetGroupName", i.subnetGroup)}${el("VpcId", "vpc-0abc")}</DBSubnetGroup>`
      : "") +
    (i.securityGroups !== undefined
      ? `<VpcSecurityGroups>${i.securityGroups.map((id) => `<VpcSecurityGroupMembership>${el("VpcSecurityGroupId", id)}${el("Status", "active")}</VpcSecurityGroupMembership>`).join("")}</VpcSecurityGroups>`
      : "") +
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
