// Machine-readable report; its schema is json-schema.ts (version 1).
import { VERSION } from "../../core/version.ts";
import type { AuditResult } from "../runner/result.ts";
import type { JsonReport } from "./json-schema.ts";

export function toJsonReport(result: AuditResult): JsonReport {
  return {
    schemaVersion: 1,
    tool: "parity",
    toolVersion: VERSION,
    configFile: result.configFile,
    baseline: result.baseline,
    targets: result.targets,
    exitCode: result.exitCode,
    summary: result.summary,
    environments: result.environments,
    checks: result.checks.map((check) => ({
      environment: check.environment,
      check: check.check,
      source: check.source,
      status: check.status,
      findings: check.findings.length,
      ignored: check.ignoredCount,
      ...(check.message !== undefined ? { message: check.message } : {}),
      ...(check.durationMs !== undefined ? { durationMs: check.durationMs } : {}),
    })),
    findings: result.findings,
    ignored: result.ignored.map(({ finding, entry }) => ({ finding, ignore: entry })),
    errors: result.errors,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
  };
}

export function jsonReporter(result: AuditResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
