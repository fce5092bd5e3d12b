// Cloud resource names from free text (app, tier, branch): slugs, and a hash suffix when a name must
// be shortened. Shared by the Pulumi components (database identifiers, SSM paths) and the preview
// reaper (stack names), so both derive the same name from the same branch.
import { createHash } from "node:crypto";

/** RDS instance and cluster identifiers: 1-63 characters. */
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
