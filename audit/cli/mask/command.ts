// `parity mask` as a typed function: resolve the key, load the rules, mask. Printing is separate.
import { ParityInputError } from "../../core/errors.ts";
import {
  loadGuardConfig,
  refuseConfiguredProduction,
  unresolvedWarning,
} from "../../masking/config-guard.ts";
import type { ColumnStats } from "../../masking/fit-check.ts";
import { type KeySourceOptions, resolveMaskingKey } from "../../masking/hmac-key.ts";
import { checkMaskingRules, maskDatabase } from "../../masking/mask-database.ts";
import type { MaskingPlan } from "../../masking/plan.ts";
import { loadMaskingRules } from "../../masking/rules-file.ts";
import type { MaskDatabaseOptions, MaskReport } from "../../masking/types.ts";

export interface MaskCommandOptions
  extends KeySourceOptions,
    Pick<
      MaskDatabaseOptions,
      "batchSize" | "dryRun" | "allowProductionName" | "allowOtherSessions" | "onlyNewRules"
    > {
  databaseUrl: string;
  rules: string;
  /** parity.config.yaml to learn production from (default: found as `parity audit` finds it). */
  config?: string;
  /** Where the config is looked for when `config` is not given (default: the working directory). */
  cwd?: string;
  onWarning?: (message: string) => void;
}

export async function maskCommand(options: MaskCommandOptions): Promise<MaskReport> {
  // The config's production databases first: nothing else matters if this is one of them.
  if (!options.allowProductionName) {
    const guard = await loadGuardConfig(options.config, options.cwd ?? process.cwd());
    const warning = unresolvedWarning(guard);
    if (warning) options.onWarning?.(warning);
    await refuseConfiguredProduction(options.databaseUrl, guard, false);
  }
  // Both inputs before the database is touched, and every problem with them in one go.
  const [key, rules] = await Promise.allSettled([
    resolveMaskingKey(options),
    loadMaskingRules(options.rules),
  ]);
  if (key.status === "rejected" || rules.status === "rejected") {
    throw combineInputErrors(
      [key, rules].flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : [])),
    );
  }
  const switches = {
    batchSize: options.batchSize,
    dryRun: options.dryRun,
    allowProductionName: options.allowProductionName,
    allowOtherSessions: options.allowOtherSessions,
    onlyNewRules: options.onlyNewRules,
  };
  return maskDatabase({
    databaseUrl: options.databaseUrl,
    rules: rules.value,
    key: key.value,
    ...(Object.fromEntries(Object.entries(switches).filter(([, value]) => value !== undefined)) as Partial<
      typeof switches
    >),
  });
}

/** Several bad inputs become one error listing each; anything else (a bug, an outage) is rethrown as is. */
function combineInputErrors(errors: unknown[]): unknown {
  if (errors.length === 1 || !errors.every((error) => error instanceof ParityInputError)) return errors[0];
  const problems = (errors as ParityInputError[]).flatMap((error) =>
    error.problems.length > 0 ? error.problems : [error.message],
  );
  return new ParityInputError("cannot mask", problems);
}

/** `parity mask --check`: do the rules and the masked values fit this database? Rolled back; no key needed. */
export async function checkCommand(
  options: Pick<MaskCommandOptions, "databaseUrl" | "rules">,
): Promise<MaskingPlan & { fit: { columns: ColumnStats[] } }> {
  return checkMaskingRules(options.databaseUrl, await loadMaskingRules(options.rules));
}

/** Per column: rows, distinct values before → after, and masked samples (never an original). */
export function formatColumnStats(columns: ColumnStats[]): string[] {
  return columns.map(
    (column) =>
      `  ${column.column} (${column.transform}): ${column.rows} rows, ${column.distinctBefore} → ${column.distinctAfter} distinct, e.g. ${column.samples.map((sample) => (sample === null ? "NULL" : JSON.stringify(sample))).join(", ")}`,
  );
}

export function formatPlan(plan: MaskingPlan & { fit?: { columns: ColumnStats[] } }): string {
  const columns = plan.tables.flatMap((table) => table.columns);
  const following = columns.filter((column) => column.followsForeignKeyFrom).length;
  return [
    `rules fit: ${columns.length} columns in ${plan.tables.length} tables would be masked (${following} by following a foreign key), ${plan.foreignKeys.length} foreign keys re-checked`,
    ...plan.tables.map(
      (table) =>
        `  ${table.schema}.${table.table}: ${table.columns
          .map(
            (column) =>
              `${column.column}=${column.rule.transform}${column.unique ? " (unique form)" : ""}${column.followsForeignKeyFrom ? ` (follows ${column.followsForeignKeyFrom})` : ""}`,
          )
          .join(", ")}`,
    ),
    ...(plan.fit && plan.fit.columns.length > 0
      ? [
          "masked values fit every CHECK constraint, domain, length and unique index:",
          ...formatColumnStats(plan.fit.columns),
        ]
      : []),
  ].join("\n");
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function formatMaskReport(report: MaskReport): string {
  const lines = report.tables.map((table) => {
    const columns = table.columns
      .map((column) =>
        column.followsForeignKeyFrom
          ? `${column.column}=${column.transform} (follows ${column.followsForeignKeyFrom})`
          : `${column.column}=${column.transform}`,
      )
      .join(", ");
    return `  ${table.schema}.${table.table}: ${table.rows} rows in ${formatDuration(table.durationMs)} — ${columns}`;
  });
  const fks =
    report.verifiedForeignKeys.length > 0
      ? [`  foreign keys verified: ${report.verifiedForeignKeys.join(", ")}`]
      : [];
  const list = (label: string, items: string[]) =>
    items.length > 0 ? [`  ${label}: ${items.join(", ")}`] : [];
  const recorded = `  recorded: rules ${report.marker.rulesDigest.slice(0, 19)}…, key ${report.marker.keyFingerprint}, parity ${report.marker.parityVersion}, ${report.marker.maskedAt}`;
  if (report.outcome === "already masked") {
    return [
      `already masked with this key and these rules (${report.marker.maskedAt}); nothing to do${report.scrubbed.length > 0 ? ", relation files rewritten now" : ""}`,
      recorded,
    ].join("\n");
  }
  if (report.outcome === "dry run") {
    return [
      `dry run: would mask ${report.rows} rows in ${report.tables.length} tables (rolled back, nothing written)`,
      ...formatColumnStats(report.dryRun ?? []),
      ...fks,
      ...list("would refresh", report.refreshedViews),
    ].join("\n");
  }
  return [
    `masked ${report.rows} rows in ${report.tables.length} tables in ${formatDuration(report.durationMs)} (one transaction, committed)`,
    ...lines,
    ...fks,
    ...list("tsvectors recomputed", report.recomputed),
    ...list("materialized views refreshed", report.refreshedViews),
    ...list("rewritten into fresh files and analyzed", report.scrubbed),
    recorded,
  ].join("\n");
}

export { redactUrl } from "../../masking/redact-url.ts";
