// The run's verdict as a table: what the checks' raw findings, the read errors and the ignore list
// add up to (check and environment status, summary, exit code), without reading anything.
import { describe, expect, it } from "vitest";
import { type Finding, makeFinding, type Severity } from "../../audit/core/finding.ts";
import type { CheckOutcome, EnvironmentError } from "../../audit/drift/runner/result.ts";
import { auditVerdict, type RawCheck, type VerdictInput } from "../../audit/drift/runner/verdict.ts";
import type { IgnoreEntry } from "../../audit/parity-config/types.ts";

const NOW = new Date("2026-11-21T12:00:00Z");

const found = (severity: Severity, object = "public.t", ruleId = "schema/missing"): Finding =>
  makeFinding({ ruleId, severity, message: "m", environment: "staging", objectType: "table", object });

const check = (
  findings: Finding[],
  status: CheckOutcome["status"] = "passed",
  environment = "staging",
): RawCheck => ({
  outcome: { environment, check: "database", source: "database", status, findings: [], ignoredCount: 0 },
  findings,
});

const unreadable: EnvironmentError = {
  environment: "staging",
  check: "database",
  message: "staging: refused",
};
const ignoreAll = (until?: string): IgnoreEntry => ({
  index: 0,
  rule: "schema/*",
  object: "*",
  reason: "on purpose",
  ...(until ? { until } : {}),
});

const input = (overrides: Partial<VerdictInput>): VerdictInput => ({
  baseline: "production",
  environments: ["production", "staging"],
  checks: [],
  errors: [],
  ignore: [],
  now: NOW,
  ...overrides,
});

interface Expected {
  exitCode: 0 | 1 | 2;
  staging: "ok" | "drift" | "error";
  checkStatus?: CheckOutcome["status"];
  counts: [errors: number, warnings: number, infos: number, ignored: number, unreadable: number];
  rules?: string[];
}

describe("auditVerdict", () => {
  it.each<[string, Partial<VerdictInput>, Expected]>([
    [
      "nothing found",
      { checks: [check([])] },
      { exitCode: 0, staging: "ok", checkStatus: "passed", counts: [0, 0, 0, 0, 0] },
    ],
    [
      "warnings and infos do not fail",
      { checks: [check([found("warning"), found("info", "public.u")])] },
      { exitCode: 0, staging: "ok", checkStatus: "passed", counts: [0, 1, 1, 0, 0] },
    ],
    [
      "an error-severity finding is drift",
      { checks: [check([found("error"), found("warning", "public.u")])] },
      { exitCode: 1, staging: "drift", checkStatus: "failed", counts: [1, 1, 0, 0, 0] },
    ],
    [
      "an ignored error is not drift",
      { checks: [check([found("error")])], ignore: [ignoreAll()] },
      { exitCode: 0, staging: "ok", checkStatus: "passed", counts: [0, 0, 0, 1, 0], rules: [] },
    ],
    [
      "an expired entry hides nothing and is reported itself",
      { checks: [check([found("error")])], ignore: [ignoreAll("2026-11-20")] },
      {
        exitCode: 1,
        staging: "drift",
        checkStatus: "failed",
        counts: [1, 1, 0, 0, 0],
        rules: ["audit/ignore-expired", "schema/missing"],
      },
    ],
    [
      "an entry that hid nothing is a warning",
      { checks: [check([])], ignore: [ignoreAll()] },
      { exitCode: 0, staging: "ok", counts: [0, 1, 0, 0, 0], rules: ["audit/ignore-unused"] },
    ],
    [
      "an entry for an environment that could not be read is not called unused: it had no chance",
      { checks: [check([], "error")], errors: [unreadable], ignore: [ignoreAll()] },
      { exitCode: 2, staging: "error", counts: [0, 0, 0, 0, 1], rules: [] },
    ],
    [
      "an unreadable environment is exit 2, even with drift elsewhere",
      { checks: [check([], "error"), check([found("error")], "passed", "staging")], errors: [unreadable] },
      { exitCode: 2, staging: "error", counts: [1, 0, 0, 0, 1] },
    ],
    [
      "a check that errored (its baseline unread) makes the target an error, not ok",
      { checks: [check([], "error")] },
      { exitCode: 0, staging: "error", checkStatus: "error", counts: [0, 0, 0, 0, 0] },
    ],
    [
      "a skipped check stays skipped",
      { checks: [check([], "skipped")] },
      { exitCode: 0, staging: "ok", checkStatus: "skipped", counts: [0, 0, 0, 0, 0] },
    ],
    [
      "a configured severity applies before anything is counted",
      {
        checks: [check([found("error")])],
        levels: (findings) =>
          findings.map((f) => (f.ruleId === "schema/missing" ? { ...f, severity: "warning" as const } : f)),
      },
      { exitCode: 0, staging: "ok", checkStatus: "passed", counts: [0, 1, 0, 0, 0] },
    ],
  ])("%s", (_name, overrides, want) => {
    const verdict = auditVerdict(input(overrides));
    expect(verdict.exitCode).toBe(want.exitCode);
    expect(verdict.environments).toEqual([
      { name: "production", role: "baseline", status: "ok" },
      { name: "staging", role: "target", status: want.staging },
    ]);
    if (want.checkStatus) expect(verdict.checks[0]?.status).toBe(want.checkStatus);
    const { errors, warnings, infos, ignored, unreadable: unread } = verdict.summary;
    expect([errors, warnings, infos, ignored, unread]).toEqual(want.counts);
    expect(verdict.summary.environments).toBe(2);
    if (want.rules) expect(verdict.findings.map((f) => f.ruleId)).toEqual(want.rules);
  });

  it("keeps each check's reported findings sorted and counts what the ignore list hid", () => {
    const verdict = auditVerdict(
      input({
        checks: [check([found("error", "public.b"), found("error", "public.a"), found("error", "public.c")])],
        ignore: [{ index: 0, rule: "schema/missing", object: "public.c", reason: "on purpose" }],
      }),
    );
    expect(verdict.checks[0]?.findings.map((f) => f.location.object)).toEqual(["public.a", "public.b"]);
    expect(verdict.checks[0]?.ignoredCount).toBe(1);
    expect(verdict.ignored.map((i) => i.finding.location.object)).toEqual(["public.c"]);
  });

  it("an ignore entry is not called unused when the baseline could not be read (nothing was compared)", () => {
    const verdict = auditVerdict(
      input({
        checks: [check([], "error")],
        errors: [{ ...unreadable, environment: "production" }],
        ignore: [ignoreAll()],
      }),
    );
    expect(verdict.findings.map((f) => f.ruleId)).toEqual([]);
  });

  it("the baseline's own read error makes it an error too", () => {
    const verdict = auditVerdict(input({ errors: [{ ...unreadable, environment: "production" }] }));
    expect(verdict.environments.map((e) => e.status)).toEqual(["error", "ok"]);
    expect(verdict.exitCode).toBe(2);
  });
});
