// The contract of a lint rule, shaped like the audit's (ESLint's): `{ meta, check(context) }`, one
// file per rule under rules/, the path being the id. check() sees one statement at a time, with what
// the migration did before it and the target's numbers, and returns Findings in the audit's shape.
import type { RangeVar } from "libpg-query";
import { type Finding, makeFinding, type Severity } from "../core/finding.ts";
import type { RuleMeta } from "../core/rule.ts";
import { describeHold } from "./describe.ts";
import { rowsOf, type TableFacts, type TargetFacts } from "./facts.ts";
import type { LockMode } from "./locks.ts";
import { relationKey } from "./relation.ts";
import type { SessionState } from "./session.ts";
import type { LintSettings } from "./settings.ts";
import { formatSource, type LintStatement } from "./statement.ts";

export interface LintRuleMeta extends RuleMeta {
  /** Message templates by id; `{{name}}` is replaced with `data.name`. */
  messages: Record<string, string>;
}

export interface ReportInput {
  messageId: string;
  data?: Record<string, string | number>;
  severity: Severity;
  /** `table`, `column`, `index`. */
  objectType: string;
  object: string;
  /** The safe rewrite, as SQL or in words. */
  rewrite?: string;
  /** The lock the statement holds on a table of the target, and for how long (estimated). */
  hold?: { table: TableFacts; mode: LockMode; seconds: number };
}

/** A finding's `actual`: the statement, and the target's numbers behind the verdict. */
export interface LintEvidence {
  statement: string;
  table?: string;
  rows?: number;
  rowsFrom?: "statistics" | "size";
  heapBytes?: number;
  totalBytes?: number;
  lock?: LockMode;
  estimatedSeconds?: number;
}

export interface LintContext {
  statement: LintStatement;
  /** The session before this statement runs. */
  session: SessionState;
  target: TargetFacts;
  settings: LintSettings;
  /** The target's facts for a table the statement names; undefined when it is new or unknown. */
  table(relation: RangeVar | string | undefined): TableFacts | undefined;
  /** The severity a blocking lock of `seconds` on `table` earns, or undefined: not worth reporting. */
  severityFor(table: TableFacts, seconds: number): Severity | undefined;
  report(input: ReportInput): Finding;
}

export interface LintRule {
  meta: LintRuleMeta;
  check(context: LintContext): Finding[];
}

/** `{{name}}` placeholders filled from data; an unknown placeholder stays visible, never blank. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(data, key) ? String(data[key]) : whole,
  );
}

export function createContext(
  rule: LintRule,
  base: Omit<LintContext, "report" | "table" | "severityFor"> & {
    lookup: (name: string) => TableFacts | undefined;
  },
): LintContext {
  const { lookup, ...shared } = base;
  return {
    ...shared,
    table(relation) {
      const name = typeof relation === "string" ? relation : relationKey(relation);
      if (!name || base.session.createdTables.has(name)) return undefined;
      return lookup(name);
    },
    severityFor(table, seconds) {
      if (rowsOf(table).rows < base.settings.smallTableRows) return undefined;
      if (seconds >= base.settings.errorAfterSeconds) return "error";
      if (seconds >= base.settings.warningAfterSeconds) return "warning";
      return undefined;
    },
    report(input) {
      const template = rule.meta.messages[input.messageId];
      if (template === undefined) throw new Error(`${rule.meta.id}: no message "${input.messageId}"`);
      const data = input.hold
        ? { hold: describeHold(input.hold.mode, input.hold.seconds), ...input.data }
        : (input.data ?? {});
      return makeFinding({
        ruleId: rule.meta.id,
        severity: input.severity,
        message: `${formatSource(base.statement.source)}: ${formatMessage(template, data)}`,
        environment: base.target.environment,
        objectType: input.objectType,
        object: input.object,
        actual: evidence(base.statement.sql, input.hold),
        ...(input.rewrite !== undefined ? { expected: input.rewrite } : {}),
      });
    },
  };
}

function evidence(statement: string, hold: ReportInput["hold"]): LintEvidence {
  if (!hold) return { statement };
  const { rows, basis } = rowsOf(hold.table);
  return {
    statement,
    table: hold.table.name,
    rows,
    rowsFrom: basis,
    heapBytes: hold.table.heapBytes,
    totalBytes: hold.table.totalBytes,
    lock: hold.mode,
    estimatedSeconds: Math.round(hold.seconds * 1000) / 1000,
  };
}
