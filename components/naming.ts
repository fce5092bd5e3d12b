// Names derived from app, tier and branch. Pure, so the preview reaper and the audit can compute the
// same names the component uses.
import { branchSlug, RDS_IDENTIFIER_MAX, rdsIdentifier, slugify } from "../audit/core/resource-name.ts";
import type { Tier } from "./tiers.ts";

// The slug and hash rules live in audit/core (the preview reaper derives stack names with them too);
// re-exported so the components' API is unchanged.
export { branchSlug, RDS_IDENTIFIER_MAX, rdsIdentifier, slugify } from "../audit/core/resource-name.ts";
export { PULUMI_STACK_NAME_MAX, previewStackName } from "../audit/preview-stacks/stack-name.ts";

/** Days a preview lives after its last deploy unless the stack says otherwise. */
export const DEFAULT_PREVIEW_TTL_DAYS = 7;

export interface NameInput {
  app: string;
  tier: Tier;
  /** Required for previews: the git branch the preview belongs to. */
  branch?: string;
}

/** `shop-production`, `shop-staging`, `shop-pv-feature-login-3f2a9c`: the database identifier without a clone generation. */
export function environmentSlug({ app, tier, branch }: NameInput, maxLength = RDS_IDENTIFIER_MAX): string {
  if (tier !== "preview") return rdsIdentifier([app, tier], maxLength);
  const prefix = `${slugify(app)}-pv-`;
  return rdsIdentifier([app, "pv", branchSlug(branch ?? "", maxLength - prefix.length)], maxLength);
}

/**
 * The database identifier. A clone generation becomes a suffix, so a refreshed clone is a new
 * database next to the old one (created first, then the old one is deleted).
 */
export function databaseIdentifier(
  input: NameInput,
  generation?: string | number,
  maxLength = RDS_IDENTIFIER_MAX,
): string {
  if (generation === undefined) return environmentSlug(input, maxLength);
  const suffix = `g${slugify(String(generation))}`;
  if (suffix === "g") throw new Error(`clone generation "${generation}" has no letters or digits`);
  return rdsIdentifier([environmentSlug(input, maxLength), suffix], maxLength);
}

/** `/shop/staging/`, `/shop/preview/feature-login/`: the SSM prefix every config key lives under. */
export function ssmPath({ app, tier, branch }: NameInput): string {
  if (tier !== "preview") return `/${app}/${tier}/`;
  return `/${app}/preview/${branchSlug(branch ?? "", 48)}/`;
}

/** AWS tag values allow letters, digits, spaces and `_ . : / = + - @`, up to 256 characters. */
export function tagValue(input: string): string {
  return input.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, "_").slice(0, 256);
}

/** When a preview may be reaped: `ttlDays` after `now` (the deploy), as an ISO-8601 UTC timestamp. */
export function expiresAt(now: Date, ttlDays = DEFAULT_PREVIEW_TTL_DAYS): string {
  if (!Number.isFinite(ttlDays) || ttlDays <= 0)
    throw new Error(`preview TTL must be a positive number of days (got ${ttlDays})`);
  return new Date(now.getTime() + ttlDays * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
