// Names derived from app, tier and branch. Pure, so the preview reaper and the audit can compute the
// same names the component uses.
import { createHash } from "node:crypto";
import type { Tier } from "./tiers.ts";

/** RDS instance and cluster identifiers: 1-63 characters. */
export const RDS_IDENTIFIER_MAX = 63;
const HASH_LENGTH = 6;

/** Days a preview lives after its last deploy unless the stack says otherwise. */
export const DEFAULT_PREVIEW_TTL_DAYS = 7;

function shortHash(input: string): string {
  return createHash("sha256").update(input).digest("hex").slice(0, HASH_LENGTH);
}

/** Lowercase letters, digits and single hyphens; no leading/trailing hyphen. */
export function slugify(input: string): string {
  return input
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * An RDS identifier from parts: letters, digits and single hyphens, starting with a letter, at most
 * `maxLength` characters. When it must be shortened, a hash of the full unshortened input is
 * appended, so two long branch names sharing a prefix still get different identifiers.
 */
export function rdsIdentifier(parts: readonly string[], maxLength = RDS_IDENTIFIER_MAX): string {
  let slug = slugify(parts.filter((part) => part.length > 0).join("-"));
  if (!/^[a-z]/.test(slug)) slug = `x-${slug}`.replace(/-+$/, "");
  if (slug.length <= maxLength) return slug;
  const hash = shortHash(parts.join("\u0000"));
  const head = slug.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

export interface NameInput {
  app: string;
  tier: Tier;
  /** Required for previews: the git branch the preview belongs to. */
  branch?: string;
}

/** `shop-production`, `shop-staging`, `shop-pv-feature-login`: the database identifier without a clone generation. */
export function environmentSlug({ app, tier, branch }: NameInput, maxLength = RDS_IDENTIFIER_MAX): string {
  if (tier !== "preview") return rdsIdentifier([app, tier], maxLength);
  if (branch === undefined || slugify(branch) === "") {
    throw new Error(
      `a preview needs a branch name with at least one letter or digit (got "${branch ?? ""}")`,
    );
  }
  return rdsIdentifier([app, "pv", branch], maxLength);
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
  environmentSlug({ app, tier, branch }); // same branch rules as the identifier
  return `/${app}/preview/${rdsIdentifier([branch ?? ""], 48)}/`;
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

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; at most 100 characters. */
export const PULUMI_STACK_NAME_MAX = 100;

/**
 * `preview-feature-login`: the stack of a branch's preview. Same slug and hash rules as the
 * database identifier, so CI, the reaper and a person all derive the same name from the branch.
 */
export function previewStackName(branch: string): string {
  if (slugify(branch) === "") {
    throw new Error(`a preview needs a branch name with at least one letter or digit (got "${branch}")`);
  }
  return rdsIdentifier(["preview", branch], PULUMI_STACK_NAME_MAX);
}
