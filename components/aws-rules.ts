// What AWS accepts, checked at plan time so a wrong value fails `pulumi preview` with the setting's
// name instead of failing `pulumi up` half way (after the cluster exists and the instance does not).
// Pure tables and functions; each table cites the AWS reference it was taken from.
/** What an environment's database is on RDS: a DB instance, or an Aurora cluster. */
export type DatabaseKind = "instance" | "cluster";

/**
 * Instance classes per database kind, as class-family → sizes.
 *
 * Aurora PostgreSQL: "Supported DB engines for DB instance classes", Amazon Aurora User Guide
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html).
 * The burstable classes there are only `medium` and `large` (db.t3, db.t4g); db.t4g.small and
 * micro exist for RDS for PostgreSQL only, so an Aurora cluster instance of that class fails at
 * CreateDBInstance. `db.serverless` is Aurora Serverless v2 (needs serverlessv2ScalingConfiguration,
 * which this component does not set, so it is not offered).
 *
 * RDS for PostgreSQL: "Supported DB engines for DB instance classes", Amazon RDS User Guide
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html).
 *
 * Region and engine-version availability is finer than this table (DescribeOrderableDBInstanceOptions
 * answers it per region); this catches the mistakes that can never work for the engine.
 */
const STANDARD_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const LARGE_SIZES = [...STANDARD_SIZES, "24xlarge"];

export const INSTANCE_CLASSES: Readonly<Record<DatabaseKind, Readonly<Record<string, readonly string[]>>>> = {
  cluster: {
    "db.t3": ["medium", "large"],
    "db.t4g": ["medium", "large"],
    "db.r5": LARGE_SIZES,
    "db.r6g": STANDARD_SIZES,
    "db.r6gd": STANDARD_SIZES,
    "db.r6i": [...LARGE_SIZES, "32xlarge"],
    "db.r6id": [...LARGE_SIZES, "32xlarge"],
    "db.r7g": STANDARD_SIZES,
    "db.r7i": [...LARGE_SIZES, "48xlarge"],
    "db.r8g": [...LARGE_SIZES, "48xlarge"],
    "db.r8gd": [...LARGE_SIZES, "48xlarge"],
    "db.x2g": STANDARD_SIZES,
  },
  instance: {
    "db.t3": ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
    "db.t4g": ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
    "db.m5": LARGE_SIZES,
    "db.m5d": LARGE_SIZES,
    "db.m6g": STANDARD_SIZES,
    "db.m6gd": STANDARD_SIZES,
    "db.m6i": [...LARGE_SIZES, "32xlarge"],
    "db.m6id": [...LARGE_SIZES, "32xlarge"],
    "db.m7g": STANDARD_SIZES,
    "db.m7i": [...LARGE_SIZES, "48xlarge"],
    "db.m8g": [...LARGE_SIZES, "48xlarge"],
    "db.r5": LARGE_SIZES,
    "db.r5b": LARGE_SIZES,
    "db.r5d": LARGE_SIZES,
    "db.r6g": STANDARD_SIZES,
    "db.r6gd": STANDARD_SIZES,
    "db.r6i": [...LARGE_SIZES, "32xlarge"],
    "db.r6id": [...LARGE_SIZES, "32xlarge"],
    "db.r7g": STANDARD_SIZES,
    "db.r7i": [...LARGE_SIZES, "48xlarge"],
    "db.r8g": [...LARGE_SIZES, "48xlarge"],
    "db.x2g": STANDARD_SIZES,
  },
};

const ENGINE_NAME: Record<DatabaseKind, string> = {
  cluster: "Aurora PostgreSQL",
  instance: "RDS for PostgreSQL",
};

/** A problem naming `setting` when `instanceClass` cannot run the kind's engine, else undefined. */
export function instanceClassProblem(
  kind: DatabaseKind,
  instanceClass: string,
  setting: string,
): string | undefined {
  const match = /^(db\.[a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  const sizes = match ? INSTANCE_CLASSES[kind][match[1] as string] : undefined;
  if (match && sizes?.includes(match[2] as string)) return undefined;
  const family = match?.[1];
  const hint =
    family && sizes
      ? `${ENGINE_NAME[kind]} offers ${family} only in ${sizes.map((size) => `${family}.${size}`).join(", ")}`
      : `${ENGINE_NAME[kind]} offers ${Object.keys(INSTANCE_CLASSES[kind]).join(", ")} classes`;
  return `${setting}: "${instanceClass}" is not a ${ENGINE_NAME[kind]} instance class (${hint})`;
}

/**
 * PostgreSQL majors each engine can create. RDS for PostgreSQL and Aurora PostgreSQL release
 * calendars (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html):
 * 11 and 12 reached end of standard support (new databases on them are refused or go straight to
 * paid Extended Support), so parity does not create them.
 */
export const SUPPORTED_MAJORS: Readonly<Record<DatabaseKind, readonly number[]>> = {
  instance: [13, 14, 15, 16, 17],
  cluster: [13, 14, 15, 16, 17],
};

/** A problem naming `database.engineVersion` when the pin is not a creatable major.minor. */
export function engineVersionProblem(kind: DatabaseKind, version: string): string | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    return `database.engineVersion "${version}": pin a full major.minor version (e.g. 15.10) so tiers cannot split`;
  }
  const major = Number(match[1]);
  if (!SUPPORTED_MAJORS[kind].includes(major)) {
    return `database.engineVersion "${version}": ${ENGINE_NAME[kind]} creates PostgreSQL ${SUPPORTED_MAJORS[kind].join(", ")} (major ${major} is not among them)`;
  }
  return undefined;
}

/**
 * The `restoreToPointInTime` block of an Aurora clone.
 *
 * RestoreDBClusterToPointInTime (RDS API reference; `RestoreToTime` in
 * node_modules/@aws-sdk/client-rds/dist-types/models/models_1.d.ts): RestoreToTime "Must be
 * specified if UseLatestRestorableTime parameter isn't provided", "Can't be specified if the
 * UseLatestRestorableTime parameter is enabled" and "Can't be specified if the RestoreType parameter
 * is copy-on-write"; the value is UTC (`2015-03-07T23:45:00Z`). The provider
 * (@pulumi/aws types/input.d.ts, rds.ClusterRestoreToPointInTime) makes `restoreToTime` and
 * `useLatestRestorableTime` conflict, so exactly one of them is sent.
 *
 * So: no time → a copy-on-write clone at the latest restorable time (cheap, instant); a time → a
 * full copy as of that time (the only way AWS restores to a point in time), with no
 * useLatestRestorableTime at all.
 */
export type AuroraRestore =
  | {
      readonly sourceClusterIdentifier: string;
      readonly restoreType: "copy-on-write";
      readonly useLatestRestorableTime: true;
    }
  | {
      readonly sourceClusterIdentifier: string;
      readonly restoreType: "full-copy";
      readonly restoreToTime: string;
    };

export function auroraRestore(sourceClusterIdentifier: string, restoreToTime?: string): AuroraRestore {
  return restoreToTime === undefined
    ? { sourceClusterIdentifier, restoreType: "copy-on-write", useLatestRestorableTime: true }
    : { sourceClusterIdentifier, restoreType: "full-copy", restoreToTime };
}

const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `clone.restoreToTime` must be a UTC time in the past (AWS: before the latest restorable time). */
export function restoreToTimeProblem(value: string, now: Date, tier: string): string | undefined {
  if (!UTC_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    return `${tier}: clone.restoreToTime "${value}" is not a UTC time like 2026-03-01T09:30:00Z (RestoreDBClusterToPointInTime takes UTC)`;
  }
  if (Date.parse(value) >= now.getTime()) {
    return `${tier}: clone.restoreToTime "${value}" is not in the past; AWS restores only to times before the latest restorable time`;
  }
  return undefined;
}
