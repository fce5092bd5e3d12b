// `parity lint --reporter text`: per migration file, its findings in the order the statements run,
// each with the statement's position, the numbers, and the safe rewrite. (json, junit and markdown
// are the audit's own reporters, through toAuditResult; text reads better in a migration's order.)
import type { Finding, Severity } from "../core/finding.ts";
import { countBySeverity, plural } from "../drift/reporters/shared.ts";
import type { LintResult } from "./result.ts";

const ICONS: Record<Severity, string> = { error: "✖", warning: "⚠", info: "ℹ" };

export interface LintTextOptions {
  color?: boolean;
}

export function lintTextReporter(result: LintResult, options: LintTextOptions = {}): string {
  const on = options.color ?? false;
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  const c = {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    green: wrap(32, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
  const colour = (severity: Severity) =>
    severity === "error" ? c.red : severity === "warning" ? c.yellow : c.cyan;
  const lines = [
    `${c.bold("parity lint")}${c.dim(` · against ${result.target} (server ${result.serverVersionNum})${result.configFile ? ` · ${result.configFile}` : ""}`)}`,
    "",
  ];
  for (const migration of result.migrations) {
    const counts = countBySeverity(migration.findings);
    const tally = (["error", "warning", "info"] as const)
      .filter((severity) => counts[severity] > 0)
      .map((severity) => colour(severity)(plural(counts[severity], severity)))
      .join(", ");
    const ignored = migration.ignoredCount > 0 ? c.dim(`, ${migration.ignoredCount} ignored`) : "";
    lines.push(
      `${c.bold(migration.file)}  ${tally || c.green("✔ no findings")}${c.dim(` (${plural(migration.statements, "statement")})`)}${ignored}`,
    );
    for (const finding of migration.findings) lines.push(...formatFinding(finding, c.dim, colour));
    lines.push("");
  }
  const all = countBySeverity(result.findings);
  const verdict = `${plural(all.error, "error")}, ${plural(all.warning, "warning")}${all.info > 0 ? `, ${all.info} info` : ""} in ${plural(result.migrations.length, "file")} against ${result.target}`;
  lines.push(`${result.exitCode === 0 ? c.green("✔") : c.red("✖")} ${c.bold(verdict)}`);
  return `${lines.join("\n")}\n`;
}

function formatFinding(
  finding: Finding,
  dim: (text: string) => string,
  colour: (severity: Severity) => (text: string) => string,
): string[] {
  const lines = [
    `  ${colour(finding.severity)(`${ICONS[finding.severity]} ${finding.severity.padEnd(7)}`)} ${finding.location.objectType} ${finding.location.object}  ${dim(finding.ruleId)}`,
    `            ${finding.message}`,
  ];
  if (typeof finding.expected === "string") lines.push(dim(`            safe rewrite: ${finding.expected}`));
  return lines;
}
