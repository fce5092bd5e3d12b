// `parity mask` as a typed function: resolve the key, load the rules, mask. Printing is separate.
import { ParityInputError } from "../../core/errors.ts";
import { type KeySourceOptions, resolveMaskingKey } from "../../masking/hmac-key.ts";
import { checkMaskingRules, maskDatabase } from "../../masking/mask-database.ts";
import type { MaskingPlan } from "../../masking/plan.ts";
import { loadMaskingRules } from "../../masking/rules-file.ts";
import type { MaskReport } from "../../masking/types.ts";

export interface MaskCommandOptions extends KeySourceOptions {
  databaseUrl: string;
  rules: string;
  batchSize?: number;
}

export async function maskCommand(options: MaskCommandOptions): Promise<MaskReport> {
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
  return maskDatabase({
    databaseUrl: options.databaseUrl,
    rules: rules.value,
    key: key.value,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
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

/** `parity mask --check`: do the rules fit this database? Reads only; needs no key. */
export async function checkCommand(
  options: Pick<MaskCommandOptions, "databaseUrl" | "rules">,
): Promise<MaskingPlan> {
  return checkMaskingRules(options.databaseUrl, await loadMaskingRules(options.rules));
}

export function formatPlan(plan: MaskingPlan): string {
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
  return [
    `masked ${report.rows} rows in ${report.tables.length} tables in ${formatDuration(report.durationMs)} (one transaction, committed)`,
    ...lines,
    ...fks,
  ].join("\n");
}

export { redactUrl } from "../../masking/redact-url.ts";
