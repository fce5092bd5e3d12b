// The reaper's side of the preview contract: which tagged databases belong to an expired preview
// and which stack to destroy. Pure, so a scheduled job (or a person) can apply it to the tags it
// lists from RDS without importing Pulumi.

export interface TaggedDatabase {
  /** RDS instance or cluster identifier (for messages). */
  identifier: string;
  tags: Readonly<Record<string, string>>;
}

export type ExpiryVerdict =
  | { identifier: string; state: "expired"; stack: string; expiresAt: string }
  | { identifier: string; state: "alive"; expiresAt: string }
  /** A preview-tagged database the reaper must not touch, and a person should look at. */
  | { identifier: string; state: "invalid"; reason: string }
  | { identifier: string; state: "not-a-preview" };

export function previewExpiry(database: TaggedDatabase, now: Date): ExpiryVerdict {
  const { identifier, tags } = database;
  if (tags["parity:tier"] !== "preview") return { identifier, state: "not-a-preview" };
  const expiresAt = tags["parity:expires-at"];
  const stack = tags["parity:stack"];
  if (expiresAt === undefined) return { identifier, state: "invalid", reason: "no parity:expires-at tag" };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(expiresAt) || Number.isNaN(Date.parse(expiresAt))) {
    return {
      identifier,
      state: "invalid",
      reason: `parity:expires-at "${expiresAt}" is not an ISO-8601 UTC time`,
    };
  }
  if (Date.parse(expiresAt) > now.getTime()) return { identifier, state: "alive", expiresAt };
  if (stack === undefined || !stack.startsWith("preview")) {
    // Never destroy a stack whose name does not say preview, whatever its tags claim.
    return { identifier, state: "invalid", reason: `parity:stack "${stack ?? ""}" is not a preview stack` };
  }
  return { identifier, state: "expired", stack, expiresAt };
}

/** The commands that remove an expired preview's stack (its resources, then the stack itself). */
export function reapCommands(stack: string): string[][] {
  return [
    ["pulumi", "destroy", "--yes", "--stack", stack],
    ["pulumi", "stack", "rm", "--yes", stack],
  ];
}
