// The contract between the audit runner and each kind of check (schema, config, rds, data).
// A check reads one environment into a snapshot, then compares a target snapshot with the
// baseline's. Reading does I/O; comparing is a pure function, which is where the rules live.
import type { Finding } from "./finding.ts";
import type { RuleMeta } from "./rule.ts";

export interface ReadContext {
  /** The environment being read (for error messages and findings). */
  environment: string;
  /** Directory the audit config file lives in; relative paths in specs resolve against it. */
  configDir: string;
  /** Aborted when the audit is cancelled. */
  signal?: AbortSignal;
}

export interface CompareContext {
  baseline: string;
  target: string;
}

export interface FinishContext {
  baseline: string;
  signal?: AbortSignal;
}

export interface AuditCheck<Spec, Snapshot, Read = Snapshot> {
  /** `schema`, `engine`, `config`, `rds`, `data` */
  readonly id: string;
  /** The rules `compare` applies, so an ignore entry naming none of them is caught as a typo. */
  readonly rules?: readonly RuleMeta[];
  read(spec: Spec, context: ReadContext): Promise<Read>;
  /**
   * Optional second step, once every environment's read of this check is done: turns the reads
   * into snapshots knowing all of them (the database check reads in full only what differs).
   * Gets every read that succeeded, keyed by environment, and must release whatever they hold
   * whatever happens. Without it, a read is the snapshot.
   */
  finish?(reads: ReadonlyMap<string, Read>, context: FinishContext): Promise<Map<string, Snapshot | Error>>;
  compare(baseline: Snapshot, target: Snapshot, context: CompareContext): Finding[];
}

// ---- Environment specs, as they appear (after validation and ${VAR} expansion) in parity.config.yaml.

export interface DatabaseSpec {
  url: string;
  /** Only these schemas (patterns allowed). Default: every non-system schema. */
  schemas?: string[];
  excludeSchemas?: string[];
  /** Object name patterns (`public.audit_*`) to include / exclude. */
  includeObjects?: string[];
  excludeObjects?: string[];
  /** Server settings to compare beyond the default list, or to leave out. */
  settings?: { include?: string[]; exclude?: string[] };
  /** Masking rules file for the data/masking-coverage rule (relative to the config file). */
  maskingRules?: string;
  /** Data-volume rule: warn when target rows < baseline rows * ratio. Default 0.1. */
  minRowRatio?: number;
}

export type ConfigKeysSpec =
  | { ssm: { path: string; region?: string; endpoint?: string } }
  | { pulumi: { file: string } }
  | { dotenv: { file: string } };

export interface RdsSpec {
  instance?: string;
  cluster?: string;
  region?: string;
  endpoint?: string;
}
