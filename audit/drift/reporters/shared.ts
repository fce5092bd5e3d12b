// Small helpers the reporters share: grouping a result the way people read it, and values.
import type { Finding, Severity } from "../../core/finding.ts";
import { IGNORE_RULES } from "../runner/ignore.ts";
import type { AuditResult, CheckOutcome, EnvironmentError } from "../runner/result.ts";

export interface ReporterOptions {
  /** ANSI colours (text reporter only); the CLI sets it when the target stream is a TTY. */
  color?: boolean;
}

export type Reporter = (result: AuditResult, options?: ReporterOptions) => string;

const LIST_RULES = new Set<string>(Object.values(IGNORE_RULES));

export function isIgnoreListFinding(finding: Finding): boolean {
  return LIST_RULES.has(finding.ruleId);
}

export interface EnvironmentGroup {
  name: string;
  role: "baseline" | "target";
  status: "ok" | "drift" | "error";
  errors: EnvironmentError[];
  checks: CheckOutcome[];
}

/** Environments in audit order (baseline first), each with its errors and check outcomes. */
export function groupByEnvironment(result: AuditResult): EnvironmentGroup[] {
  return result.environments.map((env) => ({
    name: env.name,
    role: env.role,
    status: env.status,
    errors: result.errors.filter((error) => error.environment === env.name),
    checks: result.checks.filter((check) => check.environment === env.name),
  }));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Strings as they are; anything else as compact JSON. */
export function formatValue(value: unknown, max = 300): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The one-line verdict every reporter ends or starts with. */
export function summaryLine(result: AuditResult): string {
  const { summary } = result;
  const compared = plural(result.targets.length, "environment");
  const parts: string[] = [];
  if (summary.errors + summary.warnings + summary.infos === 0) parts.push(`no drift in ${compared}`);
  else {
    const detail = [
      plural(summary.errors, "error"),
      plural(summary.warnings, "warning"),
      ...(summary.infos > 0 ? [`${summary.infos} info`] : []),
    ].join(", ");
    parts.push(
      `${plural(summary.errors + summary.warnings + summary.infos, "finding")} (${detail}) in ${compared}`,
    );
  }
  if (summary.ignored > 0) parts.push(`${summary.ignored} ignored`);
  if (summary.unreadable > 0) parts.push(`${plural(summary.unreadable, "environment")} could not be read`);
  return parts.join("; ");
}

/**
 * A value as a person reads it, never JSON: strings as they are, objects as `key: value` pairs
 * (empty ones left out), arrays as comma-separated items; nested objects the same way.
 */
export function keyValueText(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return value.map((item) => keyValueText(item)).join(", ");
  return Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== null && inner !== undefined && inner !== false)
    .map(([key, inner]) => {
      const text = keyValueText(inner);
      return inner !== null && typeof inner === "object" && !Array.isArray(inner)
        ? `${key}: { ${text} }`
        : `${key}: ${text}`;
    })
    .join(", ");
}

/** One line per key (or the text's own lines), for diffing two sides of a changed definition. */
export function keyValueLines(value: unknown): string[] {
  if (typeof value === "string") return value.split("\n");
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(
      ([key, inner]) => `${key}: ${keyValueText(inner)}`,
    );
  }
  return [keyValueText(value)];
}
