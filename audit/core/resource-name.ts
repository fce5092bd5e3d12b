// Cloud resource names from free text (app, tier, branch): slugs, and a hash suffix when a name must
// be shortened or when slugging lost something. Shared by the Pulumi components (database
// identifiers, SSM paths) and the preview reaper (stack names), so both derive the same name from
// the same branch.
import { createHash } from "node:crypto";

/**
 * RDS instance and cluster identifiers (CreateDBInstance / CreateDBCluster, RDS API reference, and
 * RestoreDBClusterToPointInTime's DBClusterIdentifier): 1 to 63 letters, digits or hyphens, first
 * character a letter, no trailing hyphen, no two consecutive hyphens. Parameter group names
 * (CreateDBParameterGroup: 1-255, same character rules) and security group names (255) are longer,
 * so a name valid here is valid there; SSM parameter names allow `a-zA-Z0-9_.-/`.
 */
export const RDS_IDENTIFIER_MAX = 63;
const HASH_LENGTH = 6;

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
