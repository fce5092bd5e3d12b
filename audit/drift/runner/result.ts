// What one audit run produced. Reporters turn this into text, JSON, JUnit or Markdown.
import type { AuditCheck, ConfigKeysSpec, DatabaseSpec, RdsSpec } from "../../core/check.ts";
import type { Finding } from "../../core/finding.ts";
import type { IgnoredFinding } from "./ignore.ts";

/** The environment spec keys the registry maps to checks. */
export type SourceKind = "database" | "config" | "rds";
export const SOURCE_KINDS: readonly SourceKind[] = ["database", "config", "rds"];

/** Which checks run for each kind of source an environment declares. */
export interface CheckRegistry {
  database: readonly AuditCheck<DatabaseSpec, unknown>[];
  config: readonly AuditCheck<ConfigKeysSpec, unknown>[];
  rds: readonly AuditCheck<RdsSpec, unknown>[];
}

export type CheckStatus = "passed" | "failed" | "error" | "skipped";

/** One check for one target environment: the unit of a JUnit test case. */
export interface CheckOutcome {
  environment: string;
  /** The check's id (`schema`, `config`, `rds`, `data`). */
  check: string;
  source: SourceKind;
  /** failed: reported findings at error severity; error: could not be read or compared. */
  status: CheckStatus;
  /** Reported findings of this check (after the ignore list). */
  findings: Finding[];
  /** How many findings the ignore list hid. */
  ignoredCount: number;
  /** Why it errored or was skipped. */
  message?: string;
  /** Time spent on it: the target's read (and finish step) plus the comparison. */
  durationMs?: number;
}

export interface EnvironmentError {
  environment: string;
  /** The check or step that failed (`schema`, `pulumi-discovery`, …). */
  check: string;
  message: string;
}

export interface EnvironmentOutcome {
  name: string;
  role: "baseline" | "target";
  /** error: something could not be read; drift: error-severity findings; ok otherwise. */
  status: "ok" | "drift" | "error";
}

export interface AuditSummary {
  environments: number;
  errors: number;
  warnings: number;
  infos: number;
  ignored: number;
  unreadable: number;
}

export type ExitCode = 0 | 1 | 2;

export interface AuditResult {
  configFile: string;
  baseline: string;
  /** The environments compared with the baseline, in config order. */
  targets: string[];
  environments: EnvironmentOutcome[];
  checks: CheckOutcome[];
  /** Every reported finding (check findings after the ignore list, plus ignore-list findings), sorted. */
  findings: Finding[];
  ignored: IgnoredFinding[];
  errors: EnvironmentError[];
  summary: AuditSummary;
  /** 0 no error-severity drift, 1 drift, 2 an environment could not be read. */
  exitCode: ExitCode;
  startedAt: string;
  durationMs: number;
}
