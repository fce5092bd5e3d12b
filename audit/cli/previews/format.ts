// Plain-text reports for `parity previews list` and `reap`: pure, (result) => string.
import type { PreviewDecision } from "../../preview-stacks/decide.ts";
import type { PreviewList, ReapOutcome, ReapResult } from "./command.ts";

/** "in 2d 4h", "3h ago": how far an expiry is from now, at a glance. */
export function relativeTime(iso: string, now: string): string {
  const ms = Date.parse(iso) - Date.parse(now);
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const span =
    days > 0 ? `${days}d${hours > 0 ? ` ${hours}h` : ""}` : hours > 0 ? `${hours}h` : `${minutes % 60}m`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}

function branchOf(decision: PreviewDecision): string {
  return "branch" in decision && decision.branch !== undefined ? `, branch ${decision.branch}` : "";
}

/** One line about a stack the reaper leaves alone, saying why (and until when). */
function keptLine(decision: PreviewDecision, now: string): string {
  switch (decision.state) {
    case "alive":
      return `${decision.stack}: kept until ${decision.expiresAt} (${relativeTime(decision.expiresAt, now)}${branchOf(decision)})`;
    case "expired":
      return `${decision.stack}: expired ${decision.expiresAt} (${relativeTime(decision.expiresAt, now)}${branchOf(decision)})`;
    case "protected":
      return `${decision.stack}: protected, never reaped (${decision.reason})`;
    case "invalid":
      return `${decision.stack}: kept, NEEDS A LOOK: ${decision.reason}${branchOf(decision)}`;
    case "busy":
      return `${decision.stack}: kept for now: ${decision.reason}${branchOf(decision)}`;
    case "unreadable":
      return `${decision.stack}: could not read its outputs: ${decision.reason}`;
    case "not-a-preview":
      return `${decision.stack}: not a preview`;
  }
}

export function formatPreviewList(list: PreviewList): string {
  const shown = list.stacks.filter((decision) => decision.state !== "not-a-preview");
  const others = list.stacks.length - shown.length;
  const lines = [`Preview stacks at ${list.now}:`];
  if (shown.length === 0) lines.push("  (none)");
  for (const decision of shown) lines.push(`  ${keptLine(decision, list.now)}`);
  if (others > 0) lines.push(`${others} other stack${others === 1 ? "" : "s"} (not previews) left out.`);
  return lines.join("\n");
}

export function formatReapResult(result: ReapResult): string {
  const by = (outcome: ReapOutcome["outcome"]) => result.stacks.filter((entry) => entry.outcome === outcome);
  const destroyed = by(result.dryRun ? "would-destroy" : "destroyed");
  const failed = by("failed");
  const kept = by("kept").filter((entry) => entry.decision.state !== "not-a-preview");
  const lines: string[] = [];
  const heading = result.dryRun ? "Would destroy (dry run, nothing changed)" : "Destroyed";
  lines.push(`${heading}: ${destroyed.length} expired preview${destroyed.length === 1 ? "" : "s"}`);
  for (const entry of destroyed) {
    lines.push(`  ${keptLine(entry.decision, result.now)}`);
    if (result.dryRun && "commands" in entry) {
      for (const command of entry.commands) lines.push(`      ${command.join(" ")}`);
    }
  }
  if (failed.length > 0) {
    lines.push(`Failed: ${failed.length} (the others were still processed)`);
    for (const entry of failed) {
      if (entry.outcome === "failed") lines.push(`  ${entry.decision.stack}: ${entry.error}`);
    }
  }
  lines.push(`Kept: ${kept.length}`);
  for (const entry of kept) lines.push(`  ${keptLine(entry.decision, result.now)}`);
  const unreadable = kept.filter((entry) => entry.decision.state === "unreadable").length;
  lines.push(
    result.exitCode === 0
      ? "OK"
      : `Exit 2: ${failed.length} failed, ${unreadable} unreadable; they are retried on the next run.`,
  );
  return lines.join("\n");
}
