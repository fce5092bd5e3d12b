import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  jsonReporter,
  junitReporter,
  markdownReporter,
  REPORTER_NAMES,
  reporters,
  textReporter,
} from "../../audit/drift/reporters/index.ts";
import { jsonReportSchema } from "../../audit/drift/reporters/json-schema.ts";
import { cleanResult, indexMissing, sampleResult, viewChanged } from "./fixture.ts";
import { junit10Violations } from "./junit-xsd.ts";
import { minimumTableWidths } from "./markdown-width.ts";

const ANSI = "\u001b[";

describe("text reporter", () => {
  it("groups by environment and check, errors first, with diffs and a summary line", () => {
    const text = textReporter(sampleResult());
    const lines = text.split("\n");
    const at = (needle: string) => lines.findIndex((line) => line.includes(needle));
    // staging, then its checks, then the unreadable preview, then the ignore list, then the verdict.
    expect(at("staging  drift")).toBeGreaterThan(0);
    expect(at("  schema  2 errors, 1 warning")).toBeGreaterThan(at("staging  drift"));
    expect(at("public.orders_created_at_idx")).toBeGreaterThan(at("  schema  "));
    expect(at("public.paid_orders")).toBeGreaterThan(at("public.orders_created_at_idx"));
    expect(at("public.customers.legacy_note")).toBeGreaterThan(at("public.paid_orders"));
    expect(at("  config  1 error")).toBeGreaterThan(at("public.customers.legacy_note"));
    expect(at("preview-42  could not be read")).toBeGreaterThan(at("  config  1 error"));
    expect(at("ignore list")).toBeGreaterThan(at("preview-42"));
    // The unified diff, line by line.
    expect(text).toContain("-WHERE status = 'paid';");
    expect(text).toContain("+FROM orders;");
    expect(text).toMatch(/expected: CREATE INDEX orders_created_at_idx/);
    expect(text).toContain("rds: no findings");
    expect(text).toContain("1 finding hidden by the ignore list");
    expect(text).toContain("skipped: preview-42 declares no config");
    // The unreadable source is named once, not twice.
    expect(text.split("ECONNREFUSED").length - 1).toBe(1);
    expect(lines.at(-2)).toBe(
      "✖ 5 findings (3 errors, 2 warnings) in 2 environments; 1 ignored; 1 environment could not be read",
    );
  });

  it("colours only when asked", () => {
    expect(textReporter(sampleResult())).not.toContain(ANSI);
    const coloured = textReporter(sampleResult(), { color: true });
    expect(coloured).toContain(ANSI);
    expect(coloured).toContain("\u001b[31m-WHERE status = 'paid';\u001b[39m");
  });

  it("a clean run says so", () => {
    expect(textReporter(cleanResult())).toMatch(/✔ no drift in 1 environment\n$/);
  });
});

describe("json reporter", () => {
  it("matches the documented schema, findings carrying rule, severity, location, expected/actual", () => {
    const report = jsonReportSchema.parse(JSON.parse(jsonReporter(sampleResult())));
    expect(report.schemaVersion).toBe(1);
    expect(report.exitCode).toBe(2);
    expect(report.findings).toHaveLength(5);
    expect(report.findings.find((f) => f.ruleId === "schema/column-extra")).toEqual({
      ruleId: "schema/column-extra",
      severity: "warning",
      message: "column public.customers.legacy_note exists only in staging",
      location: { environment: "staging", objectType: "column", object: "public.customers.legacy_note" },
      actual: { type: "text", nullable: true },
    });
    expect(report.ignored[0]?.ignore.reason).toBe("staging is smaller on purpose");
    expect(report.errors[0]?.environment).toBe("preview-42");
    expect(report.checks.map((c) => [c.environment, c.check, c.status, c.findings])).toEqual([
      ["staging", "schema", "failed", 3],
      ["staging", "config", "failed", 1],
      ["staging", "rds", "passed", 0],
      ["preview-42", "schema", "error", 0],
      ["preview-42", "config", "skipped", 0],
    ]);
  });

  it("the schema rejects a report missing a finding's location", () => {
    const report = JSON.parse(jsonReporter(sampleResult()));
    delete report.findings[0].location;
    expect(jsonReportSchema.safeParse(report).success).toBe(false);
  });
});

describe("junit reporter", () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => ["testsuite", "testcase"].includes(name),
  });

  it("is valid junit-10: one case per finding, one passing case per clean check, real times", () => {
    const result = sampleResult();
    result.checks = result.checks.map((check, index) => ({ ...check, durationMs: 1000 * (index + 1) }));
    const xml = junitReporter(result);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(junit10Violations(xml)).toEqual([]);
    const doc = parser.parse(xml);
    const suites = doc.testsuites.testsuite as Array<{
      name: string;
      time: string;
      testcase: Array<Record<string, unknown>>;
    }>;
    expect(suites.map((s) => [s.name, s.testcase.map((t) => t.name)])).toEqual([
      [
        "staging",
        [
          "schema/index-missing index public.orders_created_at_idx",
          "schema/column-extra column public.customers.legacy_note",
          "schema/view-changed view public.paid_orders",
          expect.stringMatching(/^config\/missing-key /),
          "rds: no findings (1 hidden by the ignore list)",
        ],
      ],
      ["preview-42", ["schema: could not be read", "config: skipped"]],
      ["ignore-list", [expect.stringMatching(/^audit\/ignore-expired /)]],
    ]);
    expect(doc.testsuites).toMatchObject({ tests: "8", failures: "3", errors: "1" });
    expect(doc.testsuites.skipped).toBeUndefined();
    const [indexCase, columnCase, viewCase] = suites[0]?.testcase ?? [];
    expect(indexCase?.failure).toMatchObject({ message: indexMissing.message, type: "schema/index-missing" });
    expect(String((viewCase?.failure as Record<string, string> | undefined)?.["#text"])).toContain(
      "-WHERE status = 'paid';",
    );
    expect(columnCase?.failure).toBeUndefined();
    expect(String(columnCase?.["system-out"])).toContain("public.customers.legacy_note");
    // The schema check took 1 s: its three cases share it; the suite's time adds up.
    expect(suites[0]?.testcase.slice(0, 3).map((t) => t.time)).toEqual(["0.333", "0.333", "0.333"]);
    expect(Number(suites[0]?.time)).toBeCloseTo(1 + 2 + 3, 2);
    const [unreadable, skipped] = suites[1]?.testcase ?? [];
    expect(unreadable?.error).toMatchObject({
      message: 'preview-42: could not read schema: connect ECONNREFUSED 10.0.0.7:5432 & "more"',
    });
    expect(skipped?.skipped).toMatchObject({ message: "preview-42 declares no config" });
  });

  it("the junit-10 checks catch what the XSD rejects", () => {
    expect(
      junit10Violations(
        '<testsuites skipped="1"><testsuite name="a" tests="1"><testcase name="x" time="0"/></testsuite></testsuites>',
      ),
    ).toEqual(["/testsuites: attribute skipped is not allowed"]);
    expect(
      junit10Violations(
        '<testsuites><testsuite name="a"><testcase time="soon"><failure/><note/></testcase></testsuite></testsuites>',
      ),
    ).toEqual([
      "/testsuites/testsuite: attribute tests is required",
      '/testsuites/testsuite/testcase: time="soon" is not decimal',
      "/testsuites/testsuite/testcase: attribute name is required",
      "/testsuites/testsuite/testcase: <note> not allowed in <testcase>",
      "/testsuites/testsuite/testcase: <note> is not a junit-10 element",
    ]);
  });

  it("an errored baseline gets a test case of its own", () => {
    const result = sampleResult();
    result.errors.push({
      environment: "production",
      check: "rds",
      message: "production: could not read rds: throttled",
    });
    const doc = parser.parse(junitReporter(result));
    const production = (
      doc.testsuites.testsuite as Array<{ name: string; testcase: Array<Record<string, unknown>> }>
    ).find((s) => s.name === "production");
    expect(production?.testcase.map((t) => [t.name, (t.error as Record<string, string>).message])).toEqual([
      ["rds: could not be read", "production: could not read rds: throttled"],
    ]);
  });

  it("drops characters XML cannot carry", () => {
    const result = sampleResult();
    result.findings = [];
    (result.checks[1]?.findings[0] as { message: string }).message = "bad \u0001 byte";
    expect(XMLValidator.validate(junitReporter(result))).toBe(true);
  });
});

describe("markdown reporter", () => {
  it("a verdict, a table per environment, escaped cells, diffs in fenced blocks", () => {
    const md = markdownReporter(sampleResult());
    // staging drifted and preview-42 could not be read: the headline says drift, and the rest.
    expect(md.startsWith("## parity audit: ❌ drift (and some environments could not be read)\n")).toBe(true);
    expect(md).toContain("| production (baseline) | ✅ ok | 0 | 0 | 0 |");
    expect(md).toContain("| staging | ❌ drift | 3 | 1 | 1 |");
    expect(md).toContain("| preview-42 | ⚠️ unreadable | 0 | 0 | 0 |");
    expect(md).toContain(
      "view public.<wbr>paid_<wbr>orders differs &lt;from production&gt; &#124; pipes &amp; co",
    );
    expect(md).toMatch(/```diff\n[\s\S]*-WHERE status = 'paid';[\s\S]*```/);
    expect(md).toContain("> **Could not read:** preview-42: could not read schema");
    expect(md).toContain("### ignore list");
    // Every table row has the header's number of cells (escaped pipes don't split cells).
    for (const row of md.split("\n").filter((line) => line.startsWith("| ") && line.includes("<code>"))) {
      expect(row.replaceAll("\\|", "").split("|").length - 2).toBe(6);
    }
  });

  it("values as key: value text, never JSON, and a diff for a changed definition", async () => {
    const { makeFinding } = await import("../../audit/core/finding.ts");
    const result = sampleResult();
    const changed = makeFinding({
      ruleId: "schema/changed",
      severity: "error",
      message: "column public.orders.total differs",
      environment: "staging",
      objectType: "column",
      object: "public.orders.total",
      expected: { type: "numeric(12,2)", nullable: false, default: "0" },
      actual: { type: "numeric(10,2)", nullable: true, default: "0" },
    });
    const staging = result.checks.find(
      (check) => check.environment === "staging" && check.check === "schema",
    );
    staging?.findings.push(changed);
    const md = markdownReporter(result);
    const plain = (text: string) => text.replaceAll("<wbr>", "");
    expect(plain(md)).toContain("<code>type: numeric(12,2), default: 0</code>");
    expect(plain(md)).toContain("<code>type: numeric(10,2), nullable: true, default: 0</code>");
    expect(md).not.toMatch(/`\{"/);
    expect(md).toMatch(
      /`public\.orders\.total`:\n\n```diff\n@@[^\n]*\n-type: numeric\(12,2\)\n-nullable: \(none\)|`public\.orders\.total`:\n\n```diff\n@@[^\n]*\n-type: numeric\(12,2\)\n-nullable: false/,
    );
    expect(md).toContain("+nullable: true");
  });

  it("fits a 1,000 px wide view, whatever the names and values", async () => {
    const { makeFinding } = await import("../../audit/core/finding.ts");
    const result = sampleResult();
    const long = "a_very_long_table_name_for_the_orders_of_our_customers_in_every_region_we_serve";
    const hostile = makeFinding({
      ruleId: "engine/extension-version",
      severity: "error",
      message: `column public.${long}.${long}_column differs: ${"x".repeat(90)}`,
      environment: "staging",
      objectType: "column",
      object: `public.${long}.${long}_column`,
      expected: { default: `nextval('public.${long}_id_seq'::regclass)`, token: "y".repeat(150) },
      actual: { default: "0" },
    });
    result.checks.find((check) => check.environment === "staging")?.findings.push(hostile);
    const md = markdownReporter(result);
    const widths = minimumTableWidths(md);
    expect(widths.length).toBeGreaterThan(1);
    expect(widths[0]).toBeLessThanOrEqual(1000);
    // The estimate can fail: the same table with the names as code spans is far too wide.
    expect(
      minimumTableWidths(
        md.replace(/<code>(.*?)<\/code>/g, (_, inner: string) => `\`${inner.replaceAll("<wbr>", "")}\``),
      )[0],
    ).toBeGreaterThan(1000);
  });

  it("a clean run is a green verdict", () => {
    expect(markdownReporter(cleanResult())).toMatch(/^## parity audit: ✅ no drift\n/);
  });

  it("lists errors first, so the 200-row cap never hides an error behind warnings", () => {
    const result = sampleResult();
    const schema = result.checks[0];
    if (!schema) throw new Error("fixture changed");
    const warnings = Array.from({ length: 250 }, (_, index) => ({
      ...viewChanged,
      severity: "warning" as const,
      location: { ...viewChanged.location, object: `public.w${index}` },
    }));
    schema.findings = [...warnings, indexMissing];
    const md = markdownReporter(result);
    const plain = md.replaceAll("<wbr>", "");
    expect(plain).toContain("<code>public.orders_created_at_idx</code>");
    expect(plain).not.toContain("<code>public.w249</code>");
    expect(md).toContain("_…and 51 more (see the JSON or text report)._");
    expect(plain.indexOf("<code>public.orders_created_at_idx</code>")).toBeLessThan(
      plain.indexOf("<code>public.w0</code>"),
    );
  });
});

describe("reporter registry", () => {
  it("has the five reporters by name, each pure (same input, same output)", () => {
    expect(REPORTER_NAMES).toEqual(["text", "json", "junit", "markdown", "github"]);
    for (const name of REPORTER_NAMES) {
      expect(reporters[name](sampleResult())).toBe(reporters[name](sampleResult()));
    }
  });
});

describe("github reporter", () => {
  it("one annotation per finding and unreadable environment, escaped, and a closing total", async () => {
    const { githubReporter, escapeData } = await import("../../audit/drift/reporters/github.ts");
    const result = sampleResult();
    const lines = githubReporter(result).trimEnd().split("\n");
    expect(lines).toHaveLength(result.errors.length + result.findings.length + 1);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) title=[^:\n]+::[^\n]+$/);
    const errors = lines.filter((line) => /^::error title=parity [a-z]+\/[a-z-]+ /.test(line)).length;
    expect(errors).toBe(result.findings.filter((finding) => finding.severity === "error").length);
    expect(lines.at(-1)).toMatch(/^::error title=parity audit::5 findings/);
    // A multi-line message (a diff, a SQL definition) stays one workflow command.
    expect(escapeData("50% done\nnext\r")).toBe("50%25 done%0Anext%0D");
  });
});

describe("text reporter at scale", () => {
  it("rolls up a rule with more than a screenful of findings, in natural order", async () => {
    const { makeFinding } = await import("../../audit/core/finding.ts");
    const { ROLL_UP_SHOWN } = await import("../../audit/drift/reporters/text.ts");
    const result = cleanResult();
    const findings = Array.from({ length: 2000 }, (_, index) =>
      makeFinding({
        ruleId: "schema/missing",
        severity: "error",
        message: `table public.t${index + 1}_orders is missing in staging`,
        environment: "staging",
        objectType: "table",
        object: `public.t${index + 1}_orders`,
      }),
    ).reverse();
    const check = result.checks.find((candidate) => candidate.environment === "staging") ?? result.checks[0];
    if (!check) throw new Error("fixture has no check");
    Object.assign(check, { status: "failed", findings });
    result.findings = findings;
    result.summary.errors = findings.length;
    result.exitCode = 1;
    const lines = textReporter(result).split("\n");
    expect(lines.length).toBeLessThan(40);
    const shown = lines.filter((line) => /✖ error +table public\.t/.test(line));
    expect(shown.map((line) => /public\.t\d+_orders/.exec(line)?.[0])).toEqual(
      Array.from({ length: ROLL_UP_SHOWN }, (_, index) => `public.t${index + 1}_orders`),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(`… ${2000 - ROLL_UP_SHOWN} more schema/missing (2000 findings in all`),
    );
  });
});
