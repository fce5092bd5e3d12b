// The Pulumi stack a branch's preview lives in: what CI deploys, the reaper lists and
// `parity previews stack-name` prints (components/naming.ts re-exports it for the components).
import { branchSlug } from "../core/resource-name.ts";

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; at most 100 characters. */
export const PULUMI_STACK_NAME_MAX = 100;

/**
 * `preview-feature-login-3f2a9c`: the stack of a branch's preview. Same branch slug (and hash) as
 * the database identifier, so CI, the reaper and a person all derive the same name from the branch.
 */
export function previewStackName(branch: string): string {
  return `preview-${branchSlug(branch, PULUMI_STACK_NAME_MAX - "preview-".length)}`;
}
