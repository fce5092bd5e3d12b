// Markdown for $GITHUB_STEP_SUMMARY and PR comments: a verdict, a table per environment, and
// the findings in collapsible sections (diffs as ```diff blocks). Long runs are capped so the
// summary stays under GitHub's size limit; the other reporters carry the full list.
// The finding tables fit a 1,000 px wide view (a PR comment, the job summary): names and values
// are HTML <code> with <wbr> break points after separators and inside any long run, since a
// markdown `code span` cannot hold a break point and one long name would widen the whole table.
import { createTwoFilesPatch } from "diff";
import type { Finding } from "../../core/finding.ts";
import type { AuditResult } from "../runner/result.ts";
import {
  countBySeverity,
  groupByEnvironment,
  isIgnoreListFinding,
  keyValueLines,
  keyValueText,
  plural,
  summaryLine,
} from "./shared.ts";

const MAX_FINDINGS_PER_CHECK = 200;
const SEVERITY_ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;
const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

export function markdownReporter(result: AuditResult): string {
  // Drift is the headline whenever there is any; an unreadable environment is added, not swapped in.
  const drift = result.summary.errors > 0;
  const unreadable = result.exitCode === 2;
  const verdict = drift
    ? `❌ drift${unreadable ? " (and some environments could not be read)" : ""}`
    : unreadable
      ? "⚠️ could not read everything"
      : result.exitCode === 1
        ? "❌ drift"
        : "✅ no drift";
  const out: string[] = [
    `## parity audit: ${verdict}`,
    "",
    `Baseline **${cell(result.baseline)}** · ${summaryLine(result)}`,
    "",
    "| Environment | Status | Errors | Warnings | Ignored |",
    "| --- | --- | ---: | ---: | ---: |",
  ];
  const groups = groupByEnvironment(result);
  for (const env of groups) {
    const findings = env.checks.flatMap((check) => check.findings);
    const counts = countBySeverity(findings);
    const ignored = env.checks.reduce((sum, check) => sum + check.ignoredCount, 0);
    const status = env.status === "error" ? "⚠️ unreadable" : env.status === "drift" ? "❌ drift" : "✅ ok";
    const name = env.role === "baseline" ? `${cell(env.name)} (baseline)` : cell(env.name);
    out.push(`| ${name} | ${status} | ${counts.error} | ${counts.warning} | ${ignored} |`);
  }
  out.push("");

  for (const env of groups) {
    const interesting = env.checks.filter((check) => check.findings.length > 0 || check.status === "error");
    if (interesting.length === 0 && env.errors.length === 0) continue;
    out.push(`### ${cell(env.name)}`, "");
    for (const error of env.errors) out.push(`> **Could not read:** ${cell(error.message)}`, "");
    for (const check of interesting) {
      if (check.status === "error" && check.findings.length === 0) {
        if (!env.errors.some((error) => error.check === check.check)) {
          out.push(`**${cell(check.check)}**: ${cell(check.message ?? "error")}`, "");
        }
        continue;
      }
      const counts = countBySeverity(check.findings);
      const title = `${check.check}: ${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}`;
      out.push(`<details${counts.error > 0 ? " open" : ""}><summary>${html(title)}</summary>`, "");
      // Errors first (a stable sort keeps the runner's order within a severity), so the cap never
      // hides an error behind a page of warnings.
      const ordered = [...check.findings].sort(
        (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
      );
      out.push(...findingTable(ordered.slice(0, MAX_FINDINGS_PER_CHECK)));
      if (check.findings.length > MAX_FINDINGS_PER_CHECK) {
        out.push(
          `_…and ${check.findings.length - MAX_FINDINGS_PER_CHECK} more (see the JSON or text report)._`,
          "",
        );
      }
      out.push("</details>", "");
    }
  }

  const listFindings = result.findings.filter(isIgnoreListFinding);
  if (listFindings.length > 0) out.push("### ignore list", "", ...findingTable(listFindings));
  return `${out.join("\n").trimEnd()}\n`;
}

function findingTable(findings: readonly Finding[]): string[] {
  const rows = ["| | Rule | Object | Message | Expected | Actual |", "| --- | --- | --- | --- | --- | --- |"];
  const diffs: string[] = [];
  for (const finding of findings) {
    const { location } = finding;
    rows.push(
      `| ${SEVERITY_ICON[finding.severity]} | ${codeCell(finding.ruleId)} | ${cell(location.objectType)} ${codeCell(location.object)} | ${breakable(finding.message)} | ${valueCell(finding.expected)} | ${valueCell(finding.actual)} |`,
    );
    const diff = finding.diff ?? definitionDiff(finding);
    if (diff) {
      // A fence longer than any backtick run inside the diff, so the block cannot be broken out of.
      const longest = Math.max(2, ...(diff.match(/`+/g) ?? []).map((run) => run.length));
      const fence = "`".repeat(longest + 1);
      diffs.push(`\`${code(location.object)}\`:`, "", `${fence}diff`, diff.trimEnd(), fence, "");
    }
  }
  return [...rows, "", ...diffs];
}

/** Both sides of a changed definition that spans lines or keys, as a diff below the table. */
function definitionDiff(finding: Finding): string | undefined {
  if (finding.expected === undefined || finding.actual === undefined) return undefined;
  const before = keyValueLines(finding.expected);
  const after = keyValueLines(finding.actual);
  if (before.length < 2 && after.length < 2) return undefined;
  const patch = createTwoFilesPatch(
    "baseline",
    finding.location.environment,
    `${before.join("\n")}\n`,
    `${after.join("\n")}\n`,
  );
  // Drop the ===/---/+++ header lines: the object is named above the block.
  return patch
    .split("\n")
    .filter((line) => !/^(=+|Index:|--- |\+\+\+ )/.test(line))
    .join("\n");
}

function valueCell(value: unknown): string {
  if (value === undefined) return "";
  const text = keyValueText(value);
  return codeCell(text.length > 120 ? `${text.slice(0, 119)}…` : text);
}

/** The longest run of characters a table cell holds without a break point. */
export const MAX_UNBROKEN_RUN = 16;
const BREAK_AFTER = new Set([".", "_", "/", "-", ",", ":", "=", "(", ")", "@"]);

function codeCell(value: string): string {
  return `<code>${breakable(value)}</code>`;
}

/**
 * Cell text, HTML-escaped (pipes as &#124; so they never split the row), on one line, with a
 * <wbr> after separators and wherever a run would exceed MAX_UNBROKEN_RUN characters.
 */
function breakable(value: string): string {
  let out = "";
  let run = 0;
  for (const char of value.replace(/\s*\n\s*/g, " ")) {
    if (char === " ") {
      out += " ";
      run = 0;
      continue;
    }
    if (run >= MAX_UNBROKEN_RUN) {
      out += "<wbr>";
      run = 0;
    }
    out += ESCAPES[char] ?? char;
    run += 1;
    if (BREAK_AFTER.has(char)) {
      out += "<wbr>";
      run = 0;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "|": "&#124;",
  "`": "&#96;",
};

/** Table cells: no line breaks, pipes escaped, HTML neutralised. */
function cell(value: string): string {
  return html(value)
    .replaceAll("|", "\\|")
    .replace(/\s*\n\s*/g, " ");
}

function code(value: string): string {
  return value
    .replaceAll("`", "'")
    .replaceAll("|", "\\|")
    .replace(/\s*\n\s*/g, " ");
}

function html(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
