// Human-readable report for a terminal or a CI log: grouped by environment, then by check,
// unified diffs for changed definitions, and a summary line. Colours only when asked (the CLI
// asks when the target stream is a TTY).

import { compareNatural, compareText } from "../../core/compare-text.ts";
import type { Finding, Severity } from "../../core/finding.ts";
import type { AuditResult, CheckOutcome } from "../runner/result.ts";
import {
  countBySeverity,
  formatValue,
  groupByEnvironment,
  isIgnoreListFinding,
  plural,
  type ReporterOptions,
  summaryLine,
} from "./shared.ts";

interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function paint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** A rule with more findings than fit a screen in one check is rolled up: a count and the first few. */
export const ROLL_UP_AFTER = 20;
export const ROLL_UP_SHOWN = 5;

const ICONS: Record<Severity, string> = { error: "✖", warning: "⚠", info: "ℹ" };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function textReporter(result: AuditResult, options: ReporterOptions = {}): string {
  const c = paint(options.color ?? false);
  const lines: string[] = [];
  const severityColour = (severity: Severity) =>
    severity === "error" ? c.red : severity === "warning" ? c.yellow : c.cyan;

  lines.push(
    c.bold(`parity audit`) +
      c.dim(
        ` · baseline ${result.baseline} · ${result.targets.join(", ") || "no targets"} · ${result.configFile}`,
      ),
    "",
  );

  for (const env of groupByEnvironment(result)) {
    const listed = env.checks.filter((check) => check.findings.length > 0 || check.status !== "passed");
    if (env.role === "baseline" && env.errors.length === 0) continue;
    const status =
      env.status === "error"
        ? c.red("could not be read")
        : env.status === "drift"
          ? c.red("drift")
          : c.green("no drift");
    lines.push(`${c.bold(env.name)}${env.role === "baseline" ? c.dim(" (baseline)") : ""}  ${status}`);
    for (const error of env.errors) lines.push(`  ${c.red("✖")} ${error.message}`);
    for (const check of listed) {
      // An unreadable source was already named above; don't say it twice.
      if (check.status === "error" && env.errors.some((error) => error.message === check.message)) continue;
      lines.push(...formatCheck(check, c, severityColour));
    }
    const passed = env.checks.filter((check) => check.status === "passed" && check.findings.length === 0);
    if (passed.length > 0) {
      lines.push(`  ${c.green("✔")} ${passed.map((check) => check.check).join(", ")}: no findings`);
    }
    const ignored = env.checks.reduce((sum, check) => sum + check.ignoredCount, 0);
    if (ignored > 0) lines.push(c.dim(`  ${plural(ignored, "finding")} hidden by the ignore list`));
    lines.push("");
  }

  const listFindings = result.findings.filter(isIgnoreListFinding);
  if (listFindings.length > 0) {
    lines.push(c.bold("ignore list"));
    for (const finding of listFindings) lines.push(...formatFinding(finding, c, severityColour));
    lines.push("");
  }

  const verdict = summaryLine(result);
  const icon = result.exitCode === 0 ? c.green("✔") : c.red("✖");
  lines.push(`${icon} ${c.bold(verdict)}`);
  return `${lines.join("\n")}\n`;
}

function formatCheck(
  check: CheckOutcome,
  c: Paint,
  severityColour: (severity: Severity) => (text: string) => string,
): string[] {
  const counts = countBySeverity(check.findings);
  const tally = (["error", "warning", "info"] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => severityColour(severity)(plural(counts[severity], severity)))
    .join(", ");
  if (check.status === "error")
    return [`  ${c.bold(check.check)}  ${c.red(`error: ${check.message ?? ""}`)}`];
  if (check.status === "skipped")
    return [`  ${c.bold(check.check)}  ${c.dim(`skipped: ${check.message ?? ""}`)}`];
  const lines = [`  ${c.bold(check.check)}  ${tally}`];
  // Errors first; within a severity, similar objects read together.
  const ordered = [...check.findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.location.objectType, b.location.objectType) ||
      compareNatural(a.location.object, b.location.object),
  );
  const perRule = new Map<string, number>();
  for (const finding of ordered) perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);
  const shown = new Map<string, number>();
  for (const finding of ordered) {
    const total = perRule.get(finding.ruleId) as number;
    const index = shown.get(finding.ruleId) ?? 0;
    shown.set(finding.ruleId, index + 1);
    if (total <= ROLL_UP_AFTER || index < ROLL_UP_SHOWN) {
      lines.push(...formatFinding(finding, c, severityColour));
    } else if (index === ROLL_UP_SHOWN) {
      lines.push(
        c.dim(
          `    … ${total - ROLL_UP_SHOWN} more ${finding.ruleId} (${plural(total, "finding")} in all; --reporter json lists every one)`,
        ),
      );
    }
  }
  return lines;
}

function formatFinding(
  finding: Finding,
  c: Paint,
  severityColour: (severity: Severity) => (text: string) => string,
): string[] {
  const colour = severityColour(finding.severity);
  const lines = [
    `    ${colour(`${ICONS[finding.severity]} ${finding.severity.padEnd(7)}`)} ${finding.location.objectType} ${c.bold(finding.location.object)}  ${c.dim(finding.ruleId)}`,
    `              ${finding.message}`,
  ];
  if (finding.diff) {
    for (const line of finding.diff.trimEnd().split("\n")) {
      if (line.startsWith("===") || line.startsWith("Index:")) continue;
      const styled =
        line.startsWith("+") && !line.startsWith("+++")
          ? c.green(line)
          : line.startsWith("-") && !line.startsWith("---")
            ? c.red(line)
            : line.startsWith("@@")
              ? c.cyan(line)
              : c.dim(line);
      lines.push(`              ${styled}`);
    }
  } else {
    if (finding.expected !== undefined)
      lines.push(c.dim(`              expected: ${readable(finding.expected)}`));
    if (finding.actual !== undefined)
      lines.push(c.dim(`              actual:   ${readable(finding.actual)}`));
  }
  return lines;
}

/** Objects as `key: value` pairs without the empty ones; JSON braces and nulls are noise to a reader. */
function readable(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return formatValue(value);
  const pairs = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== null && inner !== undefined && inner !== false)
    .map(([key, inner]) => `${key}: ${formatValue(inner, 200)}`);
  return formatValue(pairs.join(", "));
}
