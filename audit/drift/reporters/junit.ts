// JUnit XML for CI test tabs, valid against junit-10.xsd (the schema Jenkins and most test-report
// actions read): one <testsuite> per environment; in it one <testcase> per finding (an
// error-severity finding is a <failure>, a warning or info passes and says so in <system-out>),
// one passing case per check that found nothing, an <error> case per source that could not be
// read and a <skipped> case per check that had nothing to compare. Times are real: a check's
// read and comparison, shared evenly by the cases it produced, so a suite's time adds up.
// junit-10.xsd allows no `skipped` attribute on <testsuites> (only on <testsuite>), and no
// attributes but message/type on <failure> and <error>.
import type { Finding } from "../../core/finding.ts";
import type { AuditResult, CheckOutcome } from "../runner/result.ts";
import { formatValue, groupByEnvironment, isIgnoreListFinding } from "./shared.ts";

interface TestCase {
  name: string;
  classname: string;
  seconds: number;
  failure?: { message: string; type: string; body: string };
  error?: { message: string; type: string };
  skipped?: string;
  out?: string;
}

export function junitReporter(result: AuditResult): string {
  const suites: Array<{ name: string; cases: TestCase[] }> = [];

  for (const env of groupByEnvironment(result)) {
    const cases = env.checks.flatMap((check) => casesOf(env.name, check));
    // Errors with no check outcome of their own: the baseline's reads, Pulumi discovery.
    for (const error of env.errors) {
      if (env.checks.some((check) => check.check === error.check)) continue;
      cases.push({
        name: `${error.check}: could not be read`,
        classname: `parity.${env.name}.${error.check}`,
        seconds: 0,
        error: { message: error.message, type: "unreadable" },
      });
    }
    if (cases.length > 0) suites.push({ name: env.name, cases });
  }

  const listFindings = result.findings.filter(isIgnoreListFinding);
  if (listFindings.length > 0) {
    suites.push({
      name: "ignore-list",
      cases: listFindings.map((finding) => findingCase("parity.config.ignore", finding, 0)),
    });
  }

  const all = suites.flatMap((suite) => suite.cases);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="parity audit" tests="${all.length}" failures="${all.filter((t) => t.failure).length}" errors="${all.filter((t) => t.error).length}" time="${seconds(result.durationMs / 1000)}">`,
  ];
  suites.forEach((suite, index) => {
    const count = (pick: (testCase: TestCase) => unknown) => suite.cases.filter(pick).length;
    const time = suite.cases.reduce((sum, testCase) => sum + testCase.seconds, 0);
    lines.push(
      `  <testsuite name="${attr(suite.name)}" id="${index}" tests="${suite.cases.length}" failures="${count((t) => t.failure)}" errors="${count((t) => t.error)}" skipped="${count((t) => t.skipped !== undefined)}" time="${seconds(time)}" timestamp="${result.startedAt.slice(0, 19)}">`,
    );
    for (const testCase of suite.cases) {
      lines.push(
        `    <testcase name="${attr(testCase.name)}" classname="${attr(testCase.classname)}" time="${seconds(testCase.seconds)}">`,
      );
      if (testCase.skipped !== undefined) lines.push(`      <skipped message="${attr(testCase.skipped)}"/>`);
      if (testCase.error) {
        lines.push(
          `      <error message="${attr(testCase.error.message)}" type="${attr(testCase.error.type)}"/>`,
        );
      }
      if (testCase.failure) {
        lines.push(
          `      <failure message="${attr(testCase.failure.message)}" type="${attr(testCase.failure.type)}">${text(testCase.failure.body)}</failure>`,
        );
      }
      if (testCase.out) lines.push(`      <system-out>${text(testCase.out)}</system-out>`);
      lines.push("    </testcase>");
    }
    lines.push("  </testsuite>");
  });
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

function casesOf(environment: string, check: CheckOutcome): TestCase[] {
  const classname = `parity.${environment}.${check.check}`;
  const total = (check.durationMs ?? 0) / 1000;
  if (check.status === "skipped") {
    return [{ name: `${check.check}: skipped`, classname, seconds: 0, skipped: check.message ?? "skipped" }];
  }
  if (check.status === "error" && check.findings.length === 0) {
    return [
      {
        name: `${check.check}: could not be read`,
        classname,
        seconds: total,
        error: { message: check.message ?? "error", type: "unreadable" },
      },
    ];
  }
  if (check.findings.length === 0) {
    const hidden = check.ignoredCount > 0 ? ` (${check.ignoredCount} hidden by the ignore list)` : "";
    return [{ name: `${check.check}: no findings${hidden}`, classname, seconds: total }];
  }
  const share = total / check.findings.length;
  return check.findings.map((finding) => findingCase(classname, finding, share));
}

function findingCase(classname: string, finding: Finding, share: number): TestCase {
  const name = `${finding.ruleId} ${finding.location.objectType} ${finding.location.object}`;
  const body = findingText(finding);
  if (finding.severity === "error") {
    return {
      name,
      classname,
      seconds: share,
      failure: { message: finding.message, type: finding.ruleId, body },
    };
  }
  return { name, classname, seconds: share, out: body };
}

function findingText(finding: Finding): string {
  const lines = [
    `[${finding.severity}] ${finding.ruleId} ${finding.location.objectType} ${finding.location.object}: ${finding.message}`,
  ];
  if (finding.diff) lines.push(finding.diff.trimEnd());
  else {
    if (finding.expected !== undefined) lines.push(`expected: ${formatValue(finding.expected, 2000)}`);
    if (finding.actual !== undefined) lines.push(`actual:   ${formatValue(finding.actual, 2000)}`);
  }
  return lines.join("\n");
}

function seconds(value: number): string {
  return value.toFixed(3);
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
