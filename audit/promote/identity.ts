// Which database a side of the promotion is, for the record: the server's own system identifier
// (pg_control_system(), unique per initdb, so a restored or failed-over copy is told apart), its
// version, and the RDS ARN when the environment has an RDS identity.
import { EnvironmentReadError } from "../core/errors.ts";
import { withClient } from "../core/pg-client.ts";
import type { RecordIdentity } from "./record/record-file.ts";
import { describeDatabase, type PromotionSide } from "./sides.ts";
import type { RdsSnapshotOptions } from "./snapshot/rds-snapshot.ts";

export async function readIdentity(
  side: PromotionSide,
  aws: RdsSnapshotOptions = {},
): Promise<RecordIdentity> {
  let row: { system_identifier: string | null; server_version: string };
  try {
    row = await withClient(side.url, async (client) => {
      const version = await client.query<{ server_version: string }>(
        "SELECT current_setting('server_version') AS server_version",
      );
      // pg_control_system() is superuser/pg_monitor-only on some servers: record that, do not fail.
      const system = await client
        .query<{ system_identifier: string }>(
          "SELECT system_identifier::text AS system_identifier FROM pg_control_system()",
        )
        .then((result) => result.rows[0]?.system_identifier ?? null)
        .catch(() => null);
      return { system_identifier: system, server_version: version.rows[0]?.server_version ?? "unknown" };
    });
  } catch (error) {
    throw new EnvironmentReadError(
      side.name,
      `database ${describeDatabase(side.url)}`,
      (error as Error).message,
      {
        cause: error,
      },
    );
  }
  const arn = side.rds
    ? await import("./snapshot/rds-snapshot.ts").then(({ readRdsArn }) =>
        readRdsArn(side.rds ?? {}, side.name, aws),
      )
    : undefined;
  return {
    environment: side.name,
    database: describeDatabase(side.url),
    systemIdentifier:
      row.system_identifier ?? "unknown (pg_control_system() not permitted: grant pg_monitor)",
    serverVersion: row.server_version,
    ...(arn ? { rdsArn: arn } : {}),
  };
}
