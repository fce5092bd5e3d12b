// The audit config after loading: validated, `${VAR}`-expanded, defaults applied, and every
// relative file path made absolute against the config file's directory.
import type { ConfigKeysSpec, DatabaseSpec, RdsSpec } from "../core/check.ts";
import type { Severity } from "../core/finding.ts";
import type { ConnectionSettings } from "../core/pg-client.ts";

export type RuleLevel = Severity | "off";

export interface RuleSetting {
  /** Rule id or glob (`engine/*`), as written in `rules:`. */
  pattern: string;
  level: RuleLevel;
}

export interface PulumiDiscoverySpec {
  stack: string;
  outputsFile?: string;
  dir?: string;
}

export interface EnvironmentSpec {
  database?: DatabaseSpec;
  config?: ConfigKeysSpec;
  rds?: RdsSpec;
  /** Fills in `rds` and `config.ssm` from the stack's outputs when the audit runs. */
  pulumi?: PulumiDiscoverySpec;
}

export interface IgnoreEntry {
  /** Position in the config's `ignore` list, for messages (`ignore[2]`). */
  index: number;
  /** Rule id pattern (`schema/index-missing`, `rds/*`). */
  rule: string;
  /** Object pattern, e.g. `public.orders_*` or `/shop/staging/FEATURE_*`. */
  object: string;
  /** Environment pattern; every environment when absent. */
  environment?: string;
  reason: string;
  /** Last day (inclusive, YYYY-MM-DD) the entry hides findings. */
  until?: string;
}

export interface ParityConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its directory: relative paths were resolved against it. */
  dir: string;
  /** The `lint:` block (defaults are applied by resolveLintSettings), with its own ignore list. */
  lint?: import("../lint/settings.ts").LintConfig & { ignore: IgnoreEntry[] };
  baseline: string;
  environments: Record<string, EnvironmentSpec>;
  ignore: IgnoreEntry[];
  /** `rules:` in file order (the most specific pattern wins; see rule-levels.ts). */
  rules: RuleSetting[];
  /** `connections:` with the defaults filled in. */
  connections: ConnectionSettings;
  /** `promotion:` with its paths resolved; read it through resolvePromotionSettings. */
  promotion?: import("../promote/record/settings.ts").PromotionSettings;
}
