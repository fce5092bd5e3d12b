// A plan as text: the SQL file (`--out plan.sql`, or stdout), each statement preceded by what it
// changes and its hazards as comments, so the file is both the migration and its review.
import type { PlanFile, PlanStatement } from "./plan-file.ts";

function commentLines(text: string): string {
  return text
    .split("\n")
    .map((line) => `-- ${line}`)
    .join("\n");
}

export function renderStatement(statement: PlanStatement): string {
  const notes = [statement.summary];
  for (const hazard of statement.hazards) notes.push(`hazard ${hazard.kind}: ${hazard.detail}`);
  if (!statement.transactional) notes.push("cannot run inside a transaction block");
  return `${commentLines(notes.join("\n"))}\n${statement.sql};\n`;
}

export function renderPlanSql(plan: PlanFile): string {
  const header = [
    `parity plan: turns ${describe(plan.to)} into ${describe(plan.from)}`,
    `${plan.statements.length} statement${plan.statements.length === 1 ? "" : "s"}`,
  ];
  if (plan.refusals.length > 0) {
    header.push("refused, nothing to apply:");
    for (const refusal of plan.refusals)
      header.push(`  ${refusal.objectType} ${refusal.name}: ${refusal.reason}`);
  }
  return [`${commentLines(header.join("\n"))}\n`, ...plan.statements.map(renderStatement)].join("\n");
}

function describe(identity: PlanFile["from"]): string {
  return `${identity.environment ?? identity.database} (PostgreSQL ${identity.major})`;
}

export function renderPlanJson(plan: PlanFile): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
