// undo --restore on an RDS target: RestoreDBInstanceFromDBSnapshot / RestoreDBClusterFromSnapshot to
// a NEW identifier, with the original's network settings, never touching the original; and the
// switch-over steps a person takes next.
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from "@aws-sdk/client-rds";
import type { RdsSpec } from "../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import type { PromotionSnapshot } from "../record/record-file.ts";
import { restoredIdentifier } from "./names.ts";
import { type RdsSnapshotOptions, withRds } from "./rds-snapshot.ts";

export interface RdsRestore {
  kind: "instance" | "cluster";
  /** The new instance or cluster: the original is never touched. */
  identifier: string;
  original: string;
  arn?: string;
  /** What a person does next, step by step. */
  instructions: string[];
}

/** Restores the snapshot to a new identifier, with the network settings of the original. */
export async function restoreRdsSnapshot(
  spec: RdsSpec,
  environment: string,
  snapshot: PromotionSnapshot,
  undoId: string,
  options: RdsSnapshotOptions = {},
): Promise<RdsRestore> {
  const abort = options.signal ? { abortSignal: options.signal } : {};
  const Tags = [{ Key: "parity:undo-id", Value: undoId }];
  return withRds(spec, environment, "the restore", options, async (rds, target) => {
    if (target.kind === "instance") {
      if (snapshot.kind !== "rds-db-snapshot")
        throw new ParityInputError(
          `snapshot ${snapshot.id} is a ${snapshot.kind}, the target an RDS instance`,
        );
      const original = (
        await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.identifier }), abort)
      ).DBInstances?.[0];
      const identifier = restoredIdentifier(target.identifier, undoId, "instance");
      const securityGroups = (original?.VpcSecurityGroups ?? []).flatMap((group) =>
        group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [],
      );
      const out = await rds.send(
        new RestoreDBInstanceFromDBSnapshotCommand({
          DBInstanceIdentifier: identifier,
          DBSnapshotIdentifier: snapshot.id,
          ...(original?.DBInstanceClass ? { DBInstanceClass: original.DBInstanceClass } : {}),
          ...(original?.DBSubnetGroup?.DBSubnetGroupName
            ? { DBSubnetGroupName: original.DBSubnetGroup.DBSubnetGroupName }
            : {}),
          ...(securityGroups.length > 0 ? { VpcSecurityGroupIds: securityGroups } : {}),
          ...(original?.DBParameterGroups?.[0]?.DBParameterGroupName
            ? { DBParameterGroupName: original.DBParameterGroups[0].DBParameterGroupName }
            : {}),
          Tags,
        }),
        abort,
      );
      const arn = out.DBInstance?.DBInstanceArn;
      return {
        kind: "instance",
        identifier,
        original: target.identifier,
        ...(arn ? { arn } : {}),
        instructions: switchOver("instance", target.identifier, identifier, snapshot.id),
      };
    }
    if (snapshot.kind !== "rds-cluster-snapshot")
      throw new ParityInputError(`snapshot ${snapshot.id} is a ${snapshot.kind}, the target an RDS cluster`);
    const original = (
      await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: target.identifier }), abort)
    ).DBClusters?.[0];
    if (!original?.Engine)
      throw new EnvironmentReadError(
        environment,
        `RDS cluster ${target.identifier}`,
        "DescribeDBClusters gave no Engine",
      );
    const identifier = restoredIdentifier(target.identifier, undoId, "cluster");
    const securityGroups = (original.VpcSecurityGroups ?? []).flatMap((group) =>
      group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [],
    );
    const out = await rds.send(
      new RestoreDBClusterFromSnapshotCommand({
        DBClusterIdentifier: identifier,
        SnapshotIdentifier: snapshot.id,
        // Required by RestoreDBClusterFromSnapshot (the API reference: "Engine ... Required").
        Engine: original.Engine,
        ...(original.EngineVersion ? { EngineVersion: original.EngineVersion } : {}),
        ...(original.DBSubnetGroup ? { DBSubnetGroupName: original.DBSubnetGroup } : {}),
        ...(securityGroups.length > 0 ? { VpcSecurityGroupIds: securityGroups } : {}),
        ...(original.DBClusterParameterGroup
          ? { DBClusterParameterGroupName: original.DBClusterParameterGroup }
          : {}),
        Tags,
      }),
      abort,
    );
    const arn = out.DBCluster?.DBClusterArn;
    return {
      kind: "cluster",
      identifier,
      original: target.identifier,
      ...(arn ? { arn } : {}),
      instructions: switchOver("cluster", target.identifier, identifier, snapshot.id),
    };
  });
}

function switchOver(
  kind: "instance" | "cluster",
  original: string,
  restored: string,
  snapshot: string,
): string[] {
  const wait =
    kind === "instance"
      ? `aws rds wait db-instance-available --db-instance-identifier ${restored}`
      : `aws rds wait db-cluster-available --db-cluster-identifier ${restored}`;
  return [
    `RDS is creating ${kind} ${restored} from snapshot ${snapshot}; ${original} is untouched and still serving.`,
    `1. Wait until it is available: ${wait}`,
    ...(kind === "cluster"
      ? [
          `2. A restored Aurora cluster has no instances: add a writer with aws rds create-db-instance --db-cluster-identifier ${restored} --db-instance-identifier ${restored}-1 --db-instance-class <the original writer's class> --engine <the cluster's engine>`,
        ]
      : [
          "2. Check its parameter group, security groups and subnet group match the original's (parity copied them where RDS reported them).",
        ]),
    `3. Stop writes to ${original} (scale the application to zero or put it in maintenance mode), so nothing written after the snapshot is lost unnoticed.`,
    `4. Point the application at ${restored}'s endpoint (or rename: ${original} to ${original}-old, then ${restored} to ${original}, with aws rds modify-db-${kind === "instance" ? "instance" : "cluster"} --new-db-${kind === "instance" ? "instance" : "cluster"}-identifier … --apply-immediately).`,
    `5. Keep ${original} until you are sure; parity never deletes it.`,
  ];
}
