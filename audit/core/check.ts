// The contract between the audit runner and each kind of check (schema, config, rds, data).
// A check reads each environment into a snapshot (one at a time, or all of them together), then
// compares a target snapshot with the baseline's. Reading does I/O; comparing is a pure function,
// which is where the rules live.
import type { Finding } from "./finding.ts";
import type { RuleMeta } from "./rule.ts";

export interface ReadContext {
  /** The environment being read (for error messages and findings). */
  environment: string;
  /** Directory the audit config file lives in; relative paths in specs resolve against it. */
  configDir: string;
  /** Aborted when the audit is cancelled. */
  signal?: AbortSignal;
  /** Told how many catalog objects (rows) a long read has just read, for the progress line. */
  onObjects?: (count: number) => void;
}

export interface CompareContext {
  baseline: string;
  target: string;
}

export interface ReadTogetherContext {
  baseline: string;
  /** Directory the audit config file lives in; relative paths in specs resolve against it. */
  configDir: string;
  /** Aborted when the audit is cancelled or the read times out: release every connection then. */
  signal?: AbortSignal;
  /** Told how many catalog objects (rows) an environment's read has just read. */
  onObjects?: (environment: string, count: number) => void;
}

export interface AuditCheck<Spec, Snapshot> {
  /** `schema`, `engine`, `config`, `rds`, `data` */
  readonly id: string;
  /** The rules `compare` applies, so an ignore entry naming none of them is caught as a typo. */
  readonly rules?: readonly RuleMeta[];
  /** Reads one environment. */
  read(spec: Spec, context: ReadContext): Promise<Snapshot>;
  /**
   * Optional: reads every environment of the audit at once, knowing all of them (the database
   * check reads in full only what differs between them). When present, the runner calls it
   * instead of `read`, once every environment's spec is known. Gets the specs keyed by
   * environment (the baseline's among them when it has one) and settles with a snapshot or an
   * error for each; nothing it opened may outlive it.
   */
  readTogether?(
    specs: ReadonlyMap<string, Spec>,
    context: ReadTogetherContext,
  ): Promise<Map<string, Snapshot | Error>>;
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
  /**
   * This environment's names for the baseline's roles (`map: { shop_prod_owner: shop_staging_owner }`):
   * owners, grantees and policy roles compare through it. `defaults.database.roles.map` is merged in.
   */
  roles?: { map: Record<string, string> };
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
