// A complete audit result as the runner produces it: drift with a diff, warnings, an ignored
// finding, an expired ignore entry, and an environment that could not be read.
import { createTwoFilesPatch } from "diff";
import { makeFinding } from "../../audit/core/finding.ts";
import type { AuditResult } from "../../audit/drift/runner/result.ts";

const viewDiff = createTwoFilesPatch(
  "production",
  "staging",
  "SELECT id,\n  total\nFROM orders\nWHERE status = 'paid';\n",
  "SELECT id,\n  total\nFROM orders;\n",
);

export const indexMissing = makeFinding({
  ruleId: "schema/index-missing",
  severity: "error",
  message: "index public.orders_created_at_idx is missing in staging",
  environment: "staging",
  objectType: "index",
  object: "public.orders_created_at_idx",
  expected: "CREATE INDEX orders_created_at_idx ON public.orders USING btree (created_at)",
});

export const viewChanged = makeFinding({
  ruleId: "schema/view-changed",
  severity: "error",
  message: "view public.paid_orders differs <from production> | pipes & co",
  environment: "staging",
  objectType: "view",
  object: "public.paid_orders",
  diff: viewDiff,
});

export const columnExtra = makeFinding({
  ruleId: "schema/column-extra",
  severity: "warning",
  message: "column public.customers.legacy_note exists only in staging",
  environment: "staging",
  objectType: "column",
  object: "public.customers.legacy_note",
  actual: { type: "text", nullable: true },
});

export const keyMissing = makeFinding({
  ruleId: "config/missing-key",
  severity: "error",
  message: 'Config key "FEATURE_CHECKOUT_V2" is missing from staging',
  environment: "staging",
  objectType: "config-key",
  object: "FEATURE_CHECKOUT_V2",
  expected: { type: "String" },
});

export const ignoredFinding = makeFinding({
  ruleId: "rds/instance-class",
  severity: "error",
  message: "instance class differs",
  environment: "staging",
  objectType: "rds-instance",
  object: "shop-staging",
  expected: "db.r6g.xlarge",
  actual: "db.t4g.medium",
});

export const expiredEntry = makeFinding({
  ruleId: "audit/ignore-expired",
  severity: "warning",
  message:
    "ignore entry expired on 2026-10-01; the findings it hid are reported again (reason was: migration)",
  environment: "(all environments)",
  objectType: "ignore-entry",
  object: "ignore[1] schema/table-missing public.tmp_*",
});

export function sampleResult(): AuditResult {
  return {
    configFile: "/repo/parity.config.yaml",
    baseline: "production",
    targets: ["staging", "preview-42"],
    environments: [
      { name: "production", role: "baseline", status: "ok" },
      { name: "staging", role: "target", status: "drift" },
      { name: "preview-42", role: "target", status: "error" },
    ],
    checks: [
      {
        environment: "staging",
        check: "schema",
        source: "database",
        status: "failed",
        findings: [indexMissing, columnExtra, viewChanged],
        ignoredCount: 0,
      },
      {
        environment: "staging",
        check: "config",
        source: "config",
        status: "failed",
        findings: [keyMissing],
        ignoredCount: 0,
      },
      {
        environment: "staging",
        check: "rds",
        source: "rds",
        status: "passed",
        findings: [],
        ignoredCount: 1,
      },
      {
        environment: "preview-42",
        check: "schema",
        source: "database",
        status: "error",
        findings: [],
        ignoredCount: 0,
        message: 'preview-42: could not read schema: connect ECONNREFUSED 10.0.0.7:5432 & "more"',
      },
      {
        environment: "preview-42",
        check: "config",
        source: "config",
        status: "skipped",
        findings: [],
        ignoredCount: 0,
        message: "preview-42 declares no config",
      },
    ],
    findings: [expiredEntry, keyMissing, columnExtra, indexMissing, viewChanged],
    ignored: [
      {
        finding: ignoredFinding,
        entry: {
          index: 0,
          rule: "rds/instance-class",
          object: "shop-*",
          environment: "staging",
          reason: "staging is smaller on purpose",
        },
      },
    ],
    errors: [
      {
        environment: "preview-42",
        check: "schema",
        message: 'preview-42: could not read schema: connect ECONNREFUSED 10.0.0.7:5432 & "more"',
      },
    ],
    summary: { environments: 3, errors: 3, warnings: 2, infos: 0, ignored: 1, unreadable: 1 },
    exitCode: 2,
    startedAt: "2026-11-21T03:00:00.000Z",
    durationMs: 1234,
  };
}

export function cleanResult(): AuditResult {
  return {
    ...sampleResult(),
    targets: ["staging"],
    environments: [
      { name: "production", role: "baseline", status: "ok" },
      { name: "staging", role: "target", status: "ok" },
    ],
    checks: [
      {
        environment: "staging",
        check: "schema",
        source: "database",
        status: "passed",
        findings: [],
        ignoredCount: 0,
      },
    ],
    findings: [],
    ignored: [],
    errors: [],
    summary: { environments: 2, errors: 0, warnings: 0, infos: 0, ignored: 0, unreadable: 0 },
    exitCode: 0,
  };
}
