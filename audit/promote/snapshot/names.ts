// Names of what a promotion creates: the RDS snapshot, the instance or cluster undo --restore
// creates from it, and the template copy of a plain PostgreSQL target. Pure, derived from the
// promotion id, so a snapshot always leads back to its record.
import { ParityInputError } from "../../core/errors.ts";

/**
 * RDS identifiers, per the API reference (node_modules/@aws-sdk/client-rds models:
 * CreateDBSnapshotMessage.DBSnapshotIdentifier "1 to 255 letters, numbers, or hyphens; first
 * character must be a letter; can't end with a hyphen or contain two consecutive hyphens";
 * CreateDBClusterSnapshotMessage.DBClusterSnapshotIdentifier and
 * RestoreDBInstanceFromDBSnapshotMessage.DBInstanceIdentifier / RestoreDBClusterFromSnapshotMessage
 * .DBClusterIdentifier: the same rules with 1 to 63 characters).
 */
export const RDS_LIMITS = {
  dbSnapshot: 255,
  clusterSnapshot: 63,
  instance: 63,
  cluster: 63,
} as const;

export type RdsIdentifierKind = keyof typeof RDS_LIMITS;

/** Why `id` is not a valid RDS identifier of that kind, or undefined when it is. */
export function rdsIdentifierProblem(id: string, kind: RdsIdentifierKind): string | undefined {
  const max = RDS_LIMITS[kind];
  if (id.length < 1 || id.length > max) return `must be 1 to ${max} characters (is ${id.length})`;
  if (!/^[A-Za-z0-9-]+$/.test(id)) return "may hold only letters, digits and hyphens";
  if (!/^[A-Za-z]/.test(id)) return "must start with a letter";
  if (id.endsWith("-")) return "must not end with a hyphen";
  if (id.includes("--")) return "must not contain two consecutive hyphens";
  return undefined;
}

function checked(id: string, kind: RdsIdentifierKind): string {
  const problem = rdsIdentifierProblem(id, kind);
  if (problem) throw new ParityInputError(`RDS identifier ${id}: ${problem}`);
  return id;
}

/** `parity-<uuid>`: 43 characters, valid for DB and cluster snapshots alike. */
export function rdsSnapshotIdentifier(promotionId: string, kind: "dbSnapshot" | "clusterSnapshot"): string {
  return checked(`parity-${promotionId.toLowerCase()}`, kind);
}

/**
 * The new instance or cluster undo --restore creates: `<original>-undo-<first 8 of the undo id>`,
 * the original shortened to fit 63 characters (and never left ending in a hyphen).
 */
export function restoredIdentifier(original: string, undoId: string, kind: "instance" | "cluster"): string {
  const suffix = `-undo-${undoId.toLowerCase().replaceAll("-", "").slice(0, 8)}`;
  const head = original
    .slice(0, RDS_LIMITS[kind] - suffix.length)
    .replace(/-+$/, "")
    .replace(/--+/g, "-");
  return checked(`${head}${suffix}`, kind);
}

/** PostgreSQL truncates identifiers at NAMEDATALEN - 1 = 63 bytes: stay under it, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

function truncateBytes(text: string, bytes: number): string {
  let out = "";
  for (const character of text) {
    if (Buffer.byteLength(out + character) > bytes) break;
    out += character;
  }
  return out;
}

/**
 * The database a plain PostgreSQL target is copied to before a promotion: `<db>_pp_<12 hex of
 * the id>`, the target's name shortened (by bytes, never splitting a character) to fit 63 bytes.
 */
export function templateCopyName(database: string, promotionId: string): string {
  return withSuffix(database, `_pp_${promotionId.replaceAll("-", "").slice(0, 12).toLowerCase()}`);
}

/** Where undo --restore moves the promoted database aside (kept, never dropped by parity). */
export function undoneDatabaseName(database: string, undoId: string): string {
  return withSuffix(database, `_undone_${undoId.replaceAll("-", "").slice(0, 8).toLowerCase()}`);
}

function withSuffix(database: string, suffix: string): string {
  return truncateBytes(database, MAX_IDENTIFIER_BYTES - Buffer.byteLength(suffix)) + suffix;
}
