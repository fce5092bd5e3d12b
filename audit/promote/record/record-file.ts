// A promotion record as data: what `parity promote` and `parity undo` append to the record log and
// `parity record verify` checks. Versioned like the plan file: fields are only ever added, and a
// change of meaning bumps schemaVersion. The record never holds a secret value: config changes are
// key names and types, identities carry no user or password.
import * as z from "../../core/zod.ts";
import { planFileSchema } from "../../plan/plan-file.ts";

export const RECORD_SCHEMA_VERSION = 1;

/** Which database a side of the promotion is, as precisely as the server and AWS can say. */
export const recordIdentitySchema = z.object({
  /** Environment name from the parity config, or `null` when a URL was given. */
  environment: z.string().nullable(),
  /** host:port/database, never user or password. */
  database: z.string(),
  /** `pg_control_system().system_identifier`, as a decimal string (it is a 64-bit integer). */
  systemIdentifier: z.string(),
  /** `server_version`, e.g. "15.18". */
  serverVersion: z.string(),
  /** The RDS DB instance or Aurora cluster ARN when the environment has an RDS identity. */
  rdsArn: z.string().optional(),
});

/** A config key the source has and the target lacks: never the value. */
export const configChangeSchema = z.object({
  key: z.string(),
  /** Where the key was read: `ssm:/shop/staging`, `dotenv:staging.env`, `pulumi:Pulumi.staging.yaml`. */
  source: z.string(),
  /** SSM type (String, StringList, SecureString) or "plain" for dotenv and Pulumi keys. */
  type: z.string(),
});

/** What undo --restore restores from. */
export const snapshotSchema = z.object({
  kind: z.enum(["rds-db-snapshot", "rds-cluster-snapshot", "template-database"]),
  /** DBSnapshotIdentifier / DBClusterSnapshotIdentifier, or the copy's database name. */
  id: z.string(),
  arn: z.string().optional(),
  createdAt: z.iso.datetime(),
});

/** A lint finding the promotion went ahead with, because --accept-risk named its rule. */
export const acceptedRiskSchema = z.object({
  rule: z.string(),
  message: z.string(),
  statement: z.number().int().optional(),
});

export const approverSchema = z.object({
  /** A person's name or handle, as given or as GitHub reports the reviewer's login. */
  name: z.string(),
  source: z.enum(["command-line", "github-review"]),
  /** When the approval was given (GitHub's submitted_at), when known. */
  at: z.iso.datetime().optional(),
  /** The pull request the review was on: `owner/repo#123`. */
  pullRequest: z.string().optional(),
});

/** A statement run outside the transaction (allowed in the plan), recorded one by one. */
export const stepSchema = z.object({
  sql: z.string(),
  transactional: z.boolean(),
  outcome: z.enum(["applied", "failed", "not-run"]),
  error: z.string().optional(),
});

export const recordBodySchema = z.object({
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
  /** UUID of this record (`randomUUID()`); a promotion id tags its snapshot. */
  id: z.uuid(),
  kind: z.enum(["promote", "undo"]),
  /** For kind "undo": the id of the promotion record it undoes. */
  undoes: z.uuid().optional(),
  /** For kind "undo": "reverse-plan" or "restore". */
  undoMethod: z.enum(["reverse-plan", "restore"]).optional(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  parityVersion: z.string(),
  from: recordIdentitySchema,
  to: recordIdentitySchema,
  /** The plan that was applied (for undo: the reverse plan). */
  plan: planFileSchema,
  /** SHA-256 (hex) of the plan's canonical JSON: the hash the preview printed. */
  planSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The plan that undoes this one, computed at promotion time; null for undo records. */
  reversePlan: planFileSchema.nullable(),
  reversePlanSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  configChanges: z.array(configChangeSchema),
  snapshot: snapshotSchema.nullable(),
  acceptedRisks: z.array(acceptedRiskSchema),
  approvers: z.array(approverSchema),
  steps: z.array(stepSchema),
  outcome: z.enum(["applied", "failed"]),
  /**
   * Added by promote (optional, so records without it stay valid): SHA-256 of the target schema
   * model's canonical JSON before and after the apply. Undo by reverse plan checks the target
   * still hashes to `after`, and that the undo brought it back to `before`.
   */
  targetSchemaSha256: z
    .object({ before: z.string().regex(/^[0-9a-f]{64}$/), after: z.string().regex(/^[0-9a-f]{64}$/) })
    .optional(),
  /** The hash of the previous record in the log (its `hash` field), or null for the first. */
  previousHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});

/** One line of the log: the body, its hash and the signature over that hash. */
export const signedRecordSchema = z.object({
  body: recordBodySchema,
  /** SHA-256 (hex) of canonicalJson(body). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Ed25519 signature (base64) over the UTF-8 bytes of `hash`. */
  signature: z.string(),
  /** SHA-256 (hex, first 16) of the public key's SPKI DER: which key signed. */
  keyId: z.string(),
});

export type RecordIdentity = z.infer<typeof recordIdentitySchema>;
export type ConfigChange = z.infer<typeof configChangeSchema>;
export type PromotionSnapshot = z.infer<typeof snapshotSchema>;
export type AcceptedRisk = z.infer<typeof acceptedRiskSchema>;
export type Approver = z.infer<typeof approverSchema>;
export type PromotionStep = z.infer<typeof stepSchema>;
export type RecordBody = z.infer<typeof recordBodySchema>;
export type SignedRecord = z.infer<typeof signedRecordSchema>;
