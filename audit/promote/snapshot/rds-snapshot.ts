// The pre-promotion snapshot of an RDS target, through the real SDK: CreateDBSnapshot /
// CreateDBClusterSnapshot tagged parity:promotion-id, polled with DescribeDBSnapshots /
// DescribeDBClusterSnapshots until `available` (bounded, abortable). Throttling and transient errors
// are retried by the SDK's strategy (audit/aws/retry.ts). undo --restore is rds-restore.ts.
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
} from "@aws-sdk/client-rds";
import { type AwsClientOptions, createRdsClient, describeAwsError } from "../../aws/index.ts";
import type { RdsSpec } from "../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import type { PromotionSnapshot } from "../record/record-file.ts";
import { rdsSnapshotIdentifier } from "./names.ts";

export const PROMOTION_TAG = "parity:promotion-id";

export interface RdsSnapshotOptions {
  aws?: AwsClientOptions;
  /** Between two Describe calls. Default 15 s (RDS snapshots take minutes). */
  pollMs?: number;
  /** Give up waiting for `available` after this long. Default 1 hour. */
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export type RdsTarget = { kind: "instance" | "cluster"; identifier: string };

export function rdsTarget(spec: RdsSpec, environment: string): RdsTarget {
  if (spec.instance && spec.cluster) {
    throw new ParityInputError(`environments.${environment}.rds: give instance or cluster, not both`);
  }
  if (spec.instance) return { kind: "instance", identifier: spec.instance };
  if (spec.cluster) return { kind: "cluster", identifier: spec.cluster };
  throw new ParityInputError(`environments.${environment}.rds: names neither instance nor cluster`);
}

function client(spec: RdsSpec, options: RdsSnapshotOptions): RDSClient {
  return createRdsClient({
    ...options.aws,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
  });
}

/** Runs `work` with a client for the spec, turning SDK errors into EnvironmentReadError naming what failed. */
export async function withRds<T>(
  spec: RdsSpec,
  environment: string,
  what: string,
  options: RdsSnapshotOptions,
  work: (rds: RDSClient, target: RdsTarget) => Promise<T>,
): Promise<T> {
  const target = rdsTarget(spec, environment);
  const rds = client(spec, options);
  try {
    return await work(rds, target);
  } catch (error) {
    if (error instanceof ParityInputError || error instanceof EnvironmentReadError) throw error;
    if (error instanceof SnapshotWaitError) throw error;
    throw new EnvironmentReadError(
      environment,
      `${what} of RDS ${target.kind} ${target.identifier}`,
      describeAwsError(error),
      {
        cause: error,
      },
    );
  } finally {
    rds.destroy();
  }
}

/** The instance's or cluster's ARN (DescribeDBInstances / DescribeDBClusters), for the record. */
export async function readRdsArn(
  spec: RdsSpec,
  environment: string,
  options: RdsSnapshotOptions = {},
): Promise<string | undefined> {
  return withRds(spec, environment, "the ARN", options, async (rds, target) => {
    if (target.kind === "instance") {
      const out = await rds.send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.identifier }),
        {
          ...(options.signal ? { abortSignal: options.signal } : {}),
        },
      );
      return out.DBInstances?.[0]?.DBInstanceArn;
    }
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: target.identifier }), {
      ...(options.signal ? { abortSignal: options.signal } : {}),
    });
    return out.DBClusters?.[0]?.DBClusterArn;
  });
}

/** Waiting for `available` ended otherwise: the snapshot failed, the wait timed out or was cancelled. */
export class SnapshotWaitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotWaitError";
  }
}

/** Creates the snapshot, tagged with the promotion id, and waits until it is `available`. */
export async function createRdsSnapshot(
  spec: RdsSpec,
  environment: string,
  promotionId: string,
  options: RdsSnapshotOptions = {},
): Promise<PromotionSnapshot> {
  const now = options.now ?? (() => new Date());
  const abort = options.signal ? { abortSignal: options.signal } : {};
  const Tags = [{ Key: PROMOTION_TAG, Value: promotionId }];
  return withRds(spec, environment, "the pre-promotion snapshot", options, async (rds, target) => {
    if (target.kind === "instance") {
      const id = rdsSnapshotIdentifier(promotionId, "dbSnapshot");
      const created = await rds.send(
        new CreateDBSnapshotCommand({
          DBSnapshotIdentifier: id,
          DBInstanceIdentifier: target.identifier,
          Tags,
        }),
        abort,
      );
      const arn = await waitAvailable(options, `DB snapshot ${id}`, created.DBSnapshot?.Status, async () => {
        const out = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }), abort);
        const snapshot = out.DBSnapshots?.[0];
        return { status: snapshot?.Status, arn: snapshot?.DBSnapshotArn };
      });
      return { kind: "rds-db-snapshot", id, ...(arn ? { arn } : {}), createdAt: now().toISOString() };
    }
    const id = rdsSnapshotIdentifier(promotionId, "clusterSnapshot");
    const created = await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterSnapshotIdentifier: id,
        DBClusterIdentifier: target.identifier,
        Tags,
      }),
      abort,
    );
    const arn = await waitAvailable(
      options,
      `DB cluster snapshot ${id}`,
      created.DBClusterSnapshot?.Status,
      async () => {
        const out = await rds.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }),
          abort,
        );
        const snapshot = out.DBClusterSnapshots?.[0];
        return { status: snapshot?.Status, arn: snapshot?.DBClusterSnapshotArn };
      },
    );
    return { kind: "rds-cluster-snapshot", id, ...(arn ? { arn } : {}), createdAt: now().toISOString() };
  });
}

async function waitAvailable(
  options: RdsSnapshotOptions,
  what: string,
  initial: string | undefined,
  describe: () => Promise<{ status: string | undefined; arn: string | undefined }>,
): Promise<string | undefined> {
  const pollMs = options.pollMs ?? 15_000;
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  let status = initial;
  for (;;) {
    if (options.signal?.aborted)
      throw new SnapshotWaitError(`${what}: cancelled while ${status ?? "creating"}`);
    const current = await describe();
    status = current.status;
    if (status === "available") return current.arn;
    if (status === "failed" || status === "error" || status === "incompatible-restore") {
      throw new SnapshotWaitError(`${what} is ${status}: RDS could not take it`);
    }
    if (Date.now() + pollMs > deadline) {
      throw new SnapshotWaitError(
        `${what} still ${status ?? "unknown"} after ${Math.round((options.timeoutMs ?? 3_600_000) / 1000)} s; gave up waiting`,
      );
    }
    await sleep(pollMs, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
