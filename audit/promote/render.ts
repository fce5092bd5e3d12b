// What promote and undo print, as pure functions of their results (the CLI writes them). Config
// changes are key names and types; no value is ever in a result, so none can be printed.
import { lintTextReporter } from "../lint/text-report.ts";
import { renderPlanSql } from "../plan/render.ts";
import type { Preview } from "./preview.ts";
import type { PromoteResult } from "./promote.ts";
import type { SignedRecord } from "./record/record-file.ts";
import type { UndoResult } from "./undo.ts";

const SNAPSHOT_WORDS: Record<Preview["snapshotKind"], string> = {
  "rds-db-snapshot":
    "an RDS DB snapshot (CreateDBSnapshot), tagged parity:promotion-id, waited until available",
  "rds-cluster-snapshot":
    "an RDS cluster snapshot (CreateDBClusterSnapshot), tagged parity:promotion-id, waited until available",
  "template-database":
    "a copy on the same server (CREATE DATABASE … TEMPLATE), which needs no one else connected to the target",
};

export function renderPreview(preview: Preview): string {
  const lines: string[] = [`parity promote · preview · ${preview.from} → ${preview.to}`, ""];
  const { plan } = preview;
  lines.push(
    `Schema plan: ${plan.statements.length} statement(s)${plan.refusals.length > 0 ? `, ${plan.refusals.length} refused` : ""}`,
  );
  if (plan.statements.length > 0 || plan.refusals.length > 0) {
    lines.push(...indent(renderPlanSql(plan).trimEnd()));
  }
  lines.push(`plan sha256: ${preview.planSha256}`, "");
  if (preview.lint) {
    lines.push(`Lint against ${preview.to}'s real sizes:`);
    lines.push(...indent(lintTextReporter(preview.lint).trimEnd()));
    if (preview.risks.accepted.length > 0) {
      lines.push(
        `accepted risks (recorded): ${[...new Set(preview.risks.accepted.map((risk) => risk.rule))].join(", ")}`,
      );
    }
    for (const rule of preview.risks.unused)
      lines.push(`note: --accept-risk ${rule} matched no error finding`);
    lines.push("");
  }
  lines.push("Config keys the source has and the target lacks (names and types only):");
  if (preview.configChanges.skipped) lines.push(`  (not compared: ${preview.configChanges.skipped})`);
  else if (preview.configChanges.changes.length === 0) lines.push("  none");
  for (const change of preview.configChanges.changes)
    lines.push(`  + ${change.key}  (${change.type}, from ${change.source})`);
  lines.push(
    "  promote shows and records these but does not write them: set them in the target's config source yourself (writing SSM values would mean reading secret ones).",
    "",
  );
  if (preview.pulumi) {
    const pulumi = preview.pulumi;
    lines.push(`Pulumi stack ${pulumi.stack}:`);
    if (pulumi.status === "previewed") {
      lines.push(
        ...indent(pulumi.output.trimEnd()),
        `  plan saved to ${pulumi.planFile} (apply it with pulumi up --plan)`,
      );
    } else lines.push(`  preview ${pulumi.status}: ${pulumi.reason}`);
    lines.push("");
  }
  lines.push(`Snapshot before applying: ${SNAPSHOT_WORDS[preview.snapshotKind]}`);
  if (preview.nonTransactional.length > 0) {
    lines.push(
      `Outside the transaction (after its commit, each on its own): statement(s) ${preview.nonTransactional.join(", ")}`,
    );
  }
  if (preview.refusals.length > 0) {
    lines.push("", "Refused:");
    for (const reason of preview.refusals) lines.push(`  ✖ ${reason}`);
  }
  return `${lines.join("\n")}\n`;
}

export function describeRecord(record: SignedRecord, where: string): string {
  return `record ${record.body.id} (${record.body.kind}, ${record.body.outcome}) hash ${record.hash} appended to ${where}`;
}

export function renderPromoteOutcome(result: PromoteResult, where: string | undefined): string {
  const lines: string[] = [];
  switch (result.status) {
    case "dry-run":
      lines.push(
        `dry run: nothing applied. To apply exactly this plan later: --plan-sha256 ${result.preview.planSha256}`,
      );
      break;
    case "nothing-to-apply":
      lines.push(
        "nothing to apply: the target's schema already matches the source's; no snapshot, no record",
      );
      break;
    case "refused":
      lines.push("promotion refused; nothing was done:", ...result.reasons.map((reason) => `  ✖ ${reason}`));
      break;
    case "applied":
      lines.push(
        `✔ promoted ${result.preview.from} → ${result.preview.to}: ${result.preview.plan.statements.length} statement(s) applied`,
      );
      break;
    case "failed":
      lines.push(
        "✖ promotion failed; the transaction was rolled back:",
        ...result.reasons.map((reason) => `  ${reason}`),
      );
      break;
  }
  if (result.snapshot) lines.push(`snapshot: ${result.snapshot.kind} ${result.snapshot.id}`);
  if (result.record && where) {
    lines.push(describeRecord(result.record, where));
    const reverse = result.record.body.reversePlan;
    if (reverse && reverse.refusals.length > 0) {
      lines.push(
        `undo: the reverse plan cannot bring everything back (${reverse.refusals.length} refusal(s)); undo with parity undo ${result.record.body.id} --restore`,
      );
    } else if (reverse) {
      lines.push(
        `undo: parity undo ${result.record.body.id} (reverse plan, ${reverse.statements.length} statement(s)) or --restore`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

export function renderUndoOutcome(result: UndoResult, where: string): string {
  const lines: string[] = [];
  if (result.status === "refused") {
    lines.push(
      `undo of ${result.promotion.body.id} refused; nothing was done:`,
      ...result.reasons.map((reason) => `  ✖ ${reason}`),
    );
  } else if (result.status === "failed") {
    lines.push(
      `✖ undo of ${result.promotion.body.id} failed; the transaction was rolled back:`,
      ...result.reasons.map((r) => `  ${r}`),
    );
  } else {
    lines.push(`✔ undid promotion ${result.promotion.body.id}`);
    const applied =
      result.record?.body.undoMethod === "reverse-plan" ? result.record.body.plan.statements : [];
    for (const statement of applied) lines.push(`  - ${statement.summary}`);
    if (result.backToBefore !== undefined) {
      lines.push(
        result.backToBefore
          ? "  the target's schema is back to its pre-promotion state (same hash)"
          : "  warning: the target's schema differs from its pre-promotion state; run parity audit",
      );
    }
    if (result.movedAsideTo)
      lines.push(`  the promoted database was kept as ${result.movedAsideTo} (drop it when sure)`);
    if (result.rdsRestore) lines.push(...result.rdsRestore.instructions.map((line) => `  ${line}`));
  }
  if (result.record) lines.push(describeRecord(result.record, where));
  return `${lines.join("\n")}\n`;
}

function indent(text: string): string[] {
  return text.split("\n").map((line) => (line ? `  ${line}` : line));
}
