// Which preview stacks may be reaped. Pure: the expiry rule itself is components' `previewExpiry`
// (the same one that reads RDS tags); this file adds only what a stack listing needs on top of it —
// the guards for production and staging, a stack whose outputs could not be read, a busy stack.
import { previewExpiry } from "./expiry.ts";

/** What the reaper knows about one stack from `pulumi stack ls` and `pulumi stack output`. */
export interface StackFacts {
  /** As `pulumi stack ls` prints it: `preview-x`, or `org/project/preview-x` outside the default org. */
  name: string;
  updateInProgress?: boolean;
  /** Absent when the outputs were not read (the name already decided) or could not be read. */
  outputs?: PreviewOutputs;
  /** Why the outputs could not be read. */
  readError?: string;
}

/** The stack outputs the reaper reads (exported by stacks/index.ts). */
export interface PreviewOutputs {
  expiresAt?: string;
  tier?: string;
  branch?: string;
}

export type PreviewDecision =
  | { stack: string; state: "expired"; expiresAt: string; branch?: string }
  | { stack: string; state: "alive"; expiresAt: string; branch?: string }
  /** Production or staging: never touched, whatever its outputs say. */
  | { stack: string; state: "protected"; reason: string }
  /** A preview the reaper will not destroy and a person should look at (no or garbled expiry). */
  | { stack: string; state: "invalid"; reason: string; branch?: string }
  | { stack: string; state: "busy"; reason: string; branch?: string }
  | { stack: string; state: "unreadable"; reason: string }
  | { stack: string; state: "not-a-preview" };

const PROTECTED_TIERS = new Set(["production", "staging"]);
const PROTECTED_NAME = /^(prod|production|stage|staging)([-_.]|$)/i;

/** The stack's own name, without `org/project/`. */
export function shortStackName(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

export function isProtectedStackName(name: string): boolean {
  return PROTECTED_NAME.test(shortStackName(name));
}

/** Only stacks named `preview…` are read at all; components name every preview stack that way. */
export function looksLikePreview(name: string): boolean {
  return shortStackName(name).startsWith("preview") && !isProtectedStackName(name);
}

export function decidePreview(facts: StackFacts, now: Date): PreviewDecision {
  const stack = facts.name;
  if (isProtectedStackName(stack)) {
    return { stack, state: "protected", reason: "production/staging stack name" };
  }
  if (!looksLikePreview(stack)) return { stack, state: "not-a-preview" };
  if (facts.readError !== undefined) return { stack, state: "unreadable", reason: facts.readError };
  const outputs = facts.outputs ?? {};
  if (outputs.tier !== undefined && PROTECTED_TIERS.has(outputs.tier)) {
    return { stack, state: "protected", reason: `its tier output is ${outputs.tier}` };
  }
  const branch = outputs.branch === undefined ? {} : { branch: outputs.branch };
  // Stacks deployed before the `tier` output existed: the name (checked above) says preview.
  const tags: Record<string, string> = {
    "parity:tier": outputs.tier ?? "preview",
    "parity:stack": shortStackName(stack),
  };
  if (outputs.expiresAt !== undefined) tags["parity:expires-at"] = outputs.expiresAt;
  const verdict = previewExpiry({ identifier: stack, tags }, now);
  switch (verdict.state) {
    case "not-a-preview":
      return { stack, state: "not-a-preview" };
    case "invalid":
      return {
        stack,
        state: "invalid",
        reason: verdict.reason.replace("no parity:expires-at tag", "no expiresAt output"),
        ...branch,
      };
    case "alive":
      return { stack, state: "alive", expiresAt: verdict.expiresAt, ...branch };
    case "expired":
      if (facts.updateInProgress) {
        // Destroying now would fail on the stack's lock; the next run gets it.
        return { stack, state: "busy", reason: "an update is in progress", ...branch };
      }
      return { stack, state: "expired", expiresAt: verdict.expiresAt, ...branch };
  }
}
