// A masked database says so: a COMMENT ON DATABASE holding what was masked, with which rules digest
// and key fingerprint (never the key), by which parity version, when, and whether the relation files
// were rewritten since. A comment rather than a table so the clone's schema stays identical to its
// source (the schema audit compares them), and it is readable from any database on the server.
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type pg from "pg";
import { quoteIdent } from "../core/sql.ts";
import type { MaskingPlan } from "./plan.ts";
import type { MaskingMarker } from "./types.ts";

export type { MaskingMarker } from "./types.ts";

import { quoteLiteral } from "./transforms.ts";

export const MARKER_PREFIX = "parity-masked ";

/**
 * Version of the masking functions' outputs. 1: the PL/pgSQL Feistel loop (markers without the field);
 * 2: the straight-line Feistel (functions.ts). A clone masked by another version is refused, never
 * topped up: its columns and the new ones would disagree on the same input.
 */
export const MASKING_ALGORITHM = 2;

export function keyFingerprint(key: string | Buffer): string {
  return `hmac-sha256:${createHmac("sha256", key).update("parity masking key fingerprint v1").digest("hex").slice(0, 16)}`;
}

/** The plan's masked columns with the rule each got, as the marker records them. */
export function plannedColumns(plan: MaskingPlan): Record<string, string> {
  const entries = plan.tables.flatMap((table) =>
    table.columns.map((column): [string, string] => [
      `${table.schema}.${table.table}.${column.column}`,
      column.rule.transform === "fixed"
        ? `fixed:${column.rule.value}`
        : column.rule.transform === "date-shift"
          ? `date-shift:${column.rule.days}`
          : column.rule.transform,
    ]),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Over the algorithm version and the effective rules: outputs change with either. */
export function rulesDigest(columns: Record<string, string>, algorithm = MASKING_ALGORITHM): string {
  const input = algorithm === 1 ? columns : { algorithm, columns };
  return `sha256:${createHash("sha256").update(JSON.stringify(input)).digest("hex")}`;
}

let cachedVersion: string | undefined;
export function parityVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
      cachedVersion = String(pkg.version ?? "unknown");
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion;
}

export async function readMarker(client: pg.ClientBase): Promise<MaskingMarker | null> {
  const { rows } = await client.query<{ comment: string | null }>(
    "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = current_database()",
  );
  return parseMarker(rows[0]?.comment ?? null);
}

export function parseMarker(comment: string | null): MaskingMarker | null {
  if (!comment?.startsWith(MARKER_PREFIX)) return null;
  try {
    const parsed = JSON.parse(comment.slice(MARKER_PREFIX.length)) as MaskingMarker;
    return parsed.format === 1 && typeof parsed.keyFingerprint === "string" ? parsed : null;
  } catch {
    return null;
  }
}

export async function writeMarker(client: pg.ClientBase, marker: MaskingMarker): Promise<void> {
  const { rows } = await client.query<{ name: string }>("select current_database() as name");
  await client.query(
    `comment on database ${quoteIdent(rows[0]?.name ?? "")} is ${quoteLiteral(MARKER_PREFIX + JSON.stringify(marker))}`,
  );
}

export type MarkerDecision =
  | { action: "mask"; columns?: undefined }
  /** Same key and rules: nothing to mask (maybe the file rewrite is still owed). */
  | { action: "already masked" }
  /** Same key, rules that only add columns: mask just those. */
  | { action: "mask new columns"; columns: Set<string> }
  | { action: "refuse"; reason: string };

/** What to do with a database given its marker (if any), the key, and the planned columns. */
export function decide(
  marker: MaskingMarker | null,
  fingerprint: string,
  columns: Record<string, string>,
  onlyNewRules: boolean,
): MarkerDecision {
  if (!marker) return { action: "mask" };
  const when = `at ${marker.maskedAt} by parity ${marker.parityVersion}`;
  const algorithm = marker.algorithm ?? 1;
  if (algorithm !== MASKING_ALGORITHM) {
    return {
      action: "refuse",
      reason: `this database was masked ${when} with masking algorithm ${algorithm}, and this parity masks with algorithm ${MASKING_ALGORITHM} (other outputs for the same input); masking it again, or only new columns, would mix the two across tables and clones. Re-clone from the source instead`,
    };
  }
  if (marker.keyFingerprint !== fingerprint) {
    return {
      action: "refuse",
      reason: `this database was already masked ${when} with another key (fingerprint ${marker.keyFingerprint}, this key is ${fingerprint}); masking again would mask masked values and break determinism across clones. Re-clone from the source instead`,
    };
  }
  const changed = Object.entries(marker.columns)
    .filter(([column, rule]) => columns[column] !== undefined && columns[column] !== rule)
    .map(([column, rule]) => `${column}: was ${rule}, now ${columns[column]}`);
  const added = Object.keys(columns).filter((column) => marker.columns[column] === undefined);
  const dropped = Object.keys(marker.columns).filter((column) => columns[column] === undefined);
  if (changed.length > 0) {
    return {
      action: "refuse",
      reason: `this database was masked ${when} with other rules for ${changed.join("; ")}; a masked column cannot be masked another way. Re-clone from the source instead`,
    };
  }
  // Columns the rules no longer name stay masked (and recorded): dropping a rule unmasks nothing.
  if (added.length === 0) return { action: "already masked" };
  if (!onlyNewRules) {
    return {
      action: "refuse",
      reason: `this database was masked ${when} with the same key and fewer rules; the rules now add ${added.join(", ")}${dropped.length > 0 ? ` (and no longer name ${dropped.join(", ")}, which stay masked)` : ""}. Pass --only-new-rules to mask just the added columns`,
    };
  }
  return { action: "mask new columns", columns: new Set(added) };
}
