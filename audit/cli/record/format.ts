// What `parity record verify` and `parity record show` print: pure (result) => string, text for a
// person (a compliance officer reads `show`), JSON for machines. Records hold no secret values, so
// everything in them may be printed.
import type { Approver, SignedRecord } from "../../promote/record/record-file.ts";
import type { VerifyResult } from "../../promote/record/verify-log.ts";

export function approversText(approvers: readonly Approver[]): string {
  if (approvers.length === 0) return "no approver";
  return approvers
    .map((a) => (a.source === "github-review" ? `${a.name} (GitHub review)` : a.name))
    .join(", ");
}

export function renderVerify(log: string, result: VerifyResult): string {
  const bad = new Set(result.problems.map((p) => p.record.split(" ")[0]));
  const rows = result.entries.map((entry) => {
    const record = entry.record;
    const mark = bad.has(entry.name) ? "FAIL" : "ok  ";
    if (!record) return [mark, entry.name, "(unreadable)"];
    const body = record.body;
    return [
      mark,
      entry.name,
      body.kind,
      body.id,
      approversText(body.approvers),
      body.finishedAt,
      `plan ${body.planSha256.slice(0, 12)}`,
      body.outcome,
    ];
  });
  const widths = rows.reduce<number[]>(
    (acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)),
    [],
  );
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
  lines.push("");
  for (const problem of result.problems) lines.push(`${problem.record}: ${problem.problem}`);
  if (result.problems.length > 0) lines.push("");
  lines.push(
    result.ok
      ? `verified: ${log}: ${result.records} record${result.records === 1 ? "" : "s"}, every signature and the hash chain hold; head ${result.head}`
      : `FAILED: ${log}: ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"} in ${result.records} record${result.records === 1 ? "" : "s"}`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderVerifyJson(log: string, result: VerifyResult): string {
  return `${JSON.stringify(
    {
      log,
      ok: result.ok,
      records: result.records,
      head: result.head,
      problems: result.problems,
      entries: result.entries.map((entry) => ({
        name: entry.name,
        sequence: entry.sequence,
        ok: entry.ok,
        ...(entry.record
          ? {
              id: entry.record.body.id,
              kind: entry.record.body.kind,
              approvers: entry.record.body.approvers,
              finishedAt: entry.record.body.finishedAt,
              planSha256: entry.record.body.planSha256,
              outcome: entry.record.body.outcome,
              hash: entry.record.hash,
              keyId: entry.record.keyId,
            }
          : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

export function renderRecordJson(name: string, record: SignedRecord): string {
  return `${JSON.stringify({ name, ...record }, null, 2)}\n`;
}

/** The record in words: what changed, who approved it, what it can be undone with. */
export function renderRecord(
  name: string,
  record: SignedRecord,
  undoneBy: readonly SignedRecord[] = [],
): string {
  const body = record.body;
  const lines: string[] = [];
  const title =
    body.kind === "undo"
      ? `Undo ${body.id} (${body.undoMethod ?? "?"}) of promotion ${body.undoes ?? "?"} — ${body.outcome}`
      : `Promotion ${body.id} — ${body.outcome}`;
  lines.push(`${title}`, `  record:      ${name}`);
  lines.push(`  when:        ${body.startedAt} → ${body.finishedAt} (parity ${body.parityVersion})`);
  for (const [label, side] of [
    ["from", body.from],
    ["to", body.to],
  ] as const) {
    lines.push(
      `  ${`${label}:`.padEnd(12)} ${side.environment ?? "(a URL)"} ${side.database}, PostgreSQL ${side.serverVersion}, system ${side.systemIdentifier}${side.rdsArn ? `, ${side.rdsArn}` : ""}`,
    );
  }
  lines.push(`  approved by: ${approverLines(body.approvers)}`);

  const statements = body.plan.statements;
  lines.push(
    "",
    `Schema changes (${statements.length} statement${statements.length === 1 ? "" : "s"}, plan sha256 ${body.planSha256}):`,
  );
  if (statements.length === 0) lines.push("  none");
  statements.forEach((statement, index) => {
    const hazards = statement.hazards.map((h) => h.kind).join(", ");
    lines.push(
      `  ${index + 1}. ${statement.summary}${hazards ? ` [${hazards}]` : ""}${statement.transactional ? "" : " (outside the transaction)"}`,
    );
  });

  lines.push(
    "",
    `Config keys added (names and types only, never values): ${body.configChanges.length === 0 ? "none" : ""}`,
  );
  for (const change of body.configChanges)
    lines.push(`  ${change.key} (${change.type}, from ${change.source})`);

  lines.push("", `Risks accepted: ${body.acceptedRisks.length === 0 ? "none" : ""}`);
  for (const risk of body.acceptedRisks) {
    lines.push(
      `  ${risk.rule}${risk.statement !== undefined ? ` (statement ${risk.statement})` : ""}: ${risk.message}`,
    );
  }

  if (body.steps.length > 0) {
    lines.push("", "Steps run one by one:");
    for (const step of body.steps)
      lines.push(`  ${step.outcome}: ${step.sql}${step.error ? ` — ${step.error}` : ""}`);
  }

  lines.push("", "Snapshot before the change:");
  lines.push(
    body.snapshot
      ? `  ${body.snapshot.kind} ${body.snapshot.id}${body.snapshot.arn ? ` (${body.snapshot.arn})` : ""}, taken ${body.snapshot.createdAt}`
      : "  none",
  );

  if (body.kind === "promote") {
    lines.push("", "Undo:");
    if (body.reversePlan) {
      const reverse = body.reversePlan.statements;
      lines.push(
        `  parity undo ${body.id}: the reverse plan, ${reverse.length} statement${reverse.length === 1 ? "" : "s"} (sha256 ${body.reversePlanSha256}):`,
      );
      reverse.forEach((statement, index) => {
        lines.push(`    ${index + 1}. ${statement.summary}`);
      });
    } else {
      lines.push("  no reverse plan was computed");
    }
    if (body.snapshot)
      lines.push(`  parity undo ${body.id} --restore: restores ${body.snapshot.kind} ${body.snapshot.id}`);
    for (const undo of undoneBy)
      lines.push(
        `  undone by ${undo.body.id} (${undo.body.undoMethod ?? "?"}, ${undo.body.outcome}) at ${undo.body.finishedAt}`,
      );
  }

  lines.push("", "Chain:");
  lines.push(`  hash ${record.hash}, previous ${body.previousHash ?? "none (first record)"}`);
  lines.push(`  signed by key ${record.keyId} (check with: parity record verify)`);
  return `${lines.join("\n")}\n`;
}

function approverLines(approvers: readonly Approver[]): string {
  if (approvers.length === 0) return "no approver recorded";
  return approvers
    .map((a) => {
      const where =
        a.source === "github-review"
          ? `GitHub review${a.pullRequest ? ` on ${a.pullRequest}` : ""}`
          : "command line";
      return `${a.name} (${where}${a.at ? `, ${a.at}` : ""})`;
    })
    .join("; ");
}
