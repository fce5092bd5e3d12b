// Names derived from app, tier and branch. Pure, so the preview reaper and the audit can compute the
// same names the component uses.
import { createHash } from "node:crypto";
import type { Tier } from "./tiers.ts";

/**
 * RDS instance and cluster identifiers (CreateDBInstance / CreateDBCluster, RDS API reference, and
 * RestoreDBClusterToPointInTime's DBClusterIdentifier): 1 to 63 letters, digits or hyphens, first
 * character a letter, no trailing hyphen, no two consecutive hyphens. Parameter group names
 * (CreateDBParameterGroup: 1-255, same character rules) and security group names (255) are longer,
 * so a name valid here is valid there; SSM parameter names allow `a-zA-Z0-9_.-/`.
 */
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

/**
 * The branch as one name part: its slug when the slug IS the branch (`fix-login`), else the slug
 * plus a short hash of the exact branch (`feature-login-3f2a9c` for `feature/login`), because
 * slugging folds case and punctuation: `Feature/Login` and `feature-login`, or `fix/a_b` and
 * `fix/a.b`, would otherwise share one preview, and closing one pull request would destroy the
 * other's. At most `maxLength` characters; the hash is kept when the slug is cut.
 */
export function branchSlug(branch: string, maxLength: number): string {
  const slug = slugify(branch);
  if (slug === "") {
    throw new Error(`a preview needs a branch name with at least one letter or digit (got "${branch}")`);
  }
  if (slug === branch && slug.length <= maxLength) return slug;
  const head = slug.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${shortHash(branch)}`;
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

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; at most 100 characters. */
export const PULUMI_STACK_NAME_MAX = 100;

/**
 * `preview-feature-login-3f2a9c`: the stack of a branch's preview. Same branch slug (and hash) as
 * the database identifier, so CI, the reaper and a person all derive the same name from the branch.
 */
export function previewStackName(branch: string): string {
  return `preview-${branchSlug(branch, PULUMI_STACK_NAME_MAX - "preview-".length)}`;
}
