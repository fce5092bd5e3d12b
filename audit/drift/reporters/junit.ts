// JUnit XML for CI test tabs: one <testsuite> per environment, one <testcase> per check.
// Error-severity findings fail the case; an unreadable source is an <error>; warnings and infos
// go to <system-out> so they are visible without failing the build.
import type { Finding } from "../../core/finding.ts";
import type { AuditResult } from "../runner/result.ts";
import { formatValue, groupByEnvironment, isIgnoreListFinding, plural } from "./shared.ts";

interface TestCase {
  name: string;
  classname: string;
  failure?: { message: string; body: string };
  error?: { message: string };
  skipped?: string;
  out: string;
}

export function junitReporter(result: AuditResult): string {
  const suites: Array<{ name: string; cases: TestCase[] }> = [];

  for (const env of groupByEnvironment(result)) {
    const classname = `parity.${env.name}`;
    const cases: TestCase[] = env.checks.map((check) => {
      const errors = check.findings.filter((f) => f.severity === "error");
      const others = check.findings.filter((f) => f.severity !== "error");
      const testCase: TestCase = { name: check.check, classname, out: others.map(findingText).join("\n") };
      if (check.status === "error") testCase.error = { message: check.message ?? "error" };
      if (check.status === "skipped") testCase.skipped = check.message ?? "skipped";
      if (errors.length > 0) {
        testCase.failure = {
          message: `${plural(errors.length, "error")} in ${env.name} (${check.check})`,
          body: errors.map(findingText).join("\n\n"),
        };
      }
      return testCase;
    });
    // Errors with no check outcome of their own: the baseline's reads, Pulumi discovery.
    for (const error of env.errors) {
      if (cases.some((testCase) => testCase.name === error.check)) continue;
      cases.push({ name: error.check, classname, error: { message: error.message }, out: "" });
    }
    if (cases.length > 0) suites.push({ name: env.name, cases });
  }

  const listFindings = result.findings.filter(isIgnoreListFinding);
  if (listFindings.length > 0) {
    suites.push({
      name: "ignore-list",
      cases: [
        { name: "ignore-list", classname: "parity.config", out: listFindings.map(findingText).join("\n") },
      ],
    });
  }

  const total = (pick: (testCase: TestCase) => boolean) =>
    suites.reduce((sum, suite) => sum + suite.cases.filter(pick).length, 0);
  const seconds = (result.durationMs / 1000).toFixed(3);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="parity audit" tests="${total(() => true)}" failures="${total((t) => !!t.failure)}" errors="${total((t) => !!t.error)}" skipped="${total((t) => !!t.skipped)}" time="${seconds}">`,
  ];
  for (const suite of suites) {
    const count = (pick: (testCase: TestCase) => boolean) => suite.cases.filter(pick).length;
    lines.push(
      `  <testsuite name="${attr(suite.name)}" tests="${suite.cases.length}" failures="${count((t) => !!t.failure)}" errors="${count((t) => !!t.error)}" skipped="${count((t) => !!t.skipped)}" time="0">`,
    );
    for (const testCase of suite.cases) {
      lines.push(
        `    <testcase classname="${attr(testCase.classname)}" name="${attr(testCase.name)}" time="0">`,
      );
      if (testCase.skipped !== undefined) lines.push(`      <skipped message="${attr(testCase.skipped)}"/>`);
      if (testCase.error) {
        lines.push(`      <error message="${attr(testCase.error.message)}" type="unreadable"/>`);
      }
      if (testCase.failure) {
        lines.push(
          `      <failure message="${attr(testCase.failure.message)}" type="drift">${text(testCase.failure.body)}</failure>`,
        );
      }
      if (testCase.out) lines.push(`      <system-out>${text(testCase.out)}</system-out>`);
      lines.push("    </testcase>");
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

function findingText(finding: Finding): string {
  const lines = [
    `[${finding.severity}] ${finding.ruleId} ${finding.location.objectType} ${finding.location.object}: ${finding.message}`,
  ];
  if (finding.diff) lines.push(finding.diff.trimEnd());
  else {
    if (finding.expected !== undefined) lines.push(`  expected: ${formatValue(finding.expected)}`);
    if (finding.actual !== undefined) lines.push(`  actual:   ${formatValue(finding.actual)}`);
  }
  return lines.join("\n");
}

// XML 1.0 cannot carry most control characters at all, even escaped: drop them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function text(value: string): string {
  return value
    .replace(INVALID_XML, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

function attr(value: string): string {
  return text(value).replaceAll('"', "&quot;").replaceAll("\n", "&#10;");
}
