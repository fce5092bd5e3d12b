// Turns rules + catalog into what to update, or every reason it cannot be done — before anything
// changes. Foreign keys join columns into groups that must be masked the same way: a rule on a key
// also applies to every column that references it (and to the key a rule-bearing reference points at).

import { compareText } from "../core/compare-text.ts";
import { ParityInputError } from "../core/errors.ts";
import {
  type CatalogColumn,
  type CatalogForeignKey,
  columnKey,
  type MaskingCatalog,
  tableKey,
} from "./catalog.ts";
import type { ColumnRule, MaskingRules } from "./types.ts";

export interface PlannedColumn {
  column: string;
  rule: ColumnRule;
  type: string;
  /** Masked in the unique form (≥ 96 bits of the HMAC) because this column or one it is tied to is unique. */
  unique: boolean;
  followsForeignKeyFrom?: string;
}

export interface PlannedTable {
  schema: string;
  table: string;
  /** Where the rows live: the table itself, or each leaf partition of a partitioned table. */
  storage: Array<{ schema: string; table: string }>;
  columns: PlannedColumn[];
}

export interface MaskingPlan {
  tables: PlannedTable[];
  /** Foreign keys with a masked column on either side, re-checked before commit. */
  foreignKeys: CatalogForeignKey[];
}

/** Leaves data as it is: never propagated as a change, and equal to each other across a foreign key. */
export function changesData(rule: ColumnRule): boolean {
  return rule.transform !== "keep" && rule.transform !== "safe";
}

function describeRule(rule: ColumnRule): string {
  return rule.transform === "fixed" ? `fixed ${JSON.stringify(rule.value)}` : rule.transform;
}

function sameEffect(a: ColumnRule, b: ColumnRule): boolean {
  if (!changesData(a) || !changesData(b)) return changesData(a) === changesData(b);
  if (a.transform === "fixed" && b.transform === "fixed") return a.value === b.value;
  return a.transform === b.transform;
}

export function planMasking(rules: MaskingRules, catalog: MaskingCatalog): MaskingPlan {
  const problems: string[] = [];
  const where = (schema: string, table: string, column?: string) =>
    `${rules.file}: tables.${schema}.${table}${column === undefined ? "" : `.${column}`}`;

  // 1. Every rule names a table and column that exist.
  const explicit = new Map<string, ColumnRule>();
  for (const tableRules of rules.tables) {
    if (!catalog.tables.has(tableKey(tableRules.schema, tableRules.table))) {
      problems.push(`${where(tableRules.schema, tableRules.table)}: no such table in the database`);
      continue;
    }
    for (const [column, rule] of Object.entries(tableRules.columns)) {
      const key = columnKey(tableRules.schema, tableRules.table, column);
      if (!catalog.columns.has(key)) {
        problems.push(
          `${where(tableRules.schema, tableRules.table, column)}: no such column in the database`,
        );
        continue;
      }
      explicit.set(key, rule);
    }
  }

  // 2. Group columns joined by foreign keys (composite keys pair up column by column).
  const groups = new UnionFind();
  for (const fk of catalog.foreignKeys) {
    fk.columns.forEach((column, i) => {
      const referenced = fk.referencedColumns[i];
      if (referenced === undefined) return;
      groups.union(
        columnKey(fk.schema, fk.table, column),
        columnKey(fk.referencedSchema, fk.referencedTable, referenced),
      );
    });
  }

  // 3. One rule per group; members without a rule follow it.
  const effective = new Map<string, { rule: ColumnRule; from?: string }>();
  const byGroup = new Map<string, string[]>();
  for (const key of explicit.keys()) {
    const root = groups.find(key);
    byGroup.set(root, [...(byGroup.get(root) ?? []), key]);
  }
  for (const [root, ruled] of byGroup) {
    const [first, ...others] = ruled.sort();
    if (first === undefined) continue;
    const rule = explicit.get(first) as ColumnRule;
    const conflicting = others.filter((key) => !sameEffect(rule, explicit.get(key) as ColumnRule));
    if (conflicting.length > 0) {
      const members = [first, ...conflicting].map(
        (key) => `${key} is ${describeRule(explicit.get(key) as ColumnRule)}`,
      );
      problems.push(
        `${rules.file}: columns tied by foreign keys must be masked the same way, or the references break: ${members.join(", ")}`,
      );
      continue;
    }
    for (const key of ruled) effective.set(key, { rule: explicit.get(key) as ColumnRule });
    if (!changesData(rule)) continue;
    for (const member of groups.members(root)) {
      if (!effective.has(member) && catalog.columns.has(member)) effective.set(member, { rule, from: first });
    }
  }

  // 4. Each changed column can take its rule; unique-ness is decided per group.
  const uniqueGroups = new Set<string>();
  for (const [key, { rule }] of effective) {
    if (changesData(rule) && catalog.columns.get(key)?.unique) uniqueGroups.add(groups.find(key));
  }
  const planned = new Map<string, PlannedTable>();
  for (const [key, { rule, from }] of [...effective].sort(([a], [b]) => compareText(a, b))) {
    if (!changesData(rule)) continue;
    const column = catalog.columns.get(key) as CatalogColumn;
    const label =
      where(column.schema, column.table, column.column) + (from ? ` (follows ${from} by foreign key)` : "");
    const unique = uniqueGroups.has(groups.find(key));
    const problem = columnProblem(rule, column, unique);
    if (problem) {
      problems.push(`${label}: ${problem}`);
      continue;
    }
    const tkey = tableKey(column.schema, column.table);
    let table = planned.get(tkey);
    if (!table) {
      const catalogTable = catalog.tables.get(tkey);
      table = {
        schema: column.schema,
        table: column.table,
        storage: catalogTable?.partitioned
          ? catalogTable.leaves
          : [{ schema: column.schema, table: column.table }],
        columns: [],
      };
      planned.set(tkey, table);
    }
    table.columns.push({
      column: column.column,
      rule,
      type: column.type,
      unique,
      ...(from ? { followsForeignKeyFrom: from } : {}),
    });
  }
  if (problems.length > 0) {
    throw new ParityInputError(`${rules.file}: masking rules do not fit the database`, problems);
  }

  const changed = (schema: string, table: string, columns: string[]) =>
    columns.some((column) => {
      const entry = effective.get(columnKey(schema, table, column));
      return entry !== undefined && changesData(entry.rule);
    });
  return {
    tables: [...planned.values()],
    foreignKeys: catalog.foreignKeys.filter(
      (fk) =>
        changed(fk.schema, fk.table, fk.columns) ||
        changed(fk.referencedSchema, fk.referencedTable, fk.referencedColumns),
    ),
  };
}

function columnProblem(rule: ColumnRule, column: CatalogColumn, unique: boolean): string | undefined {
  if (!column.assignable) return "is a generated or GENERATED ALWAYS identity column and cannot be masked";
  switch (rule.transform) {
    case "null":
      return column.notNull ? "is NOT NULL, so it cannot be set to null" : undefined;
    case "fixed":
      return unique
        ? "is unique (or tied by a foreign key to a unique column), so one fixed value would collide"
        : undefined;
    case "keep":
    case "safe":
      return undefined;
    default:
      return column.category === "S"
        ? undefined
        : `has type ${column.type}; the ${rule.transform} transformer writes text (use fixed, null or keep)`;
  }
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(key: string): string {
    let root = key;
    for (
      let next = this.parent.get(root);
      next !== undefined && next !== root;
      next = this.parent.get(root)
    ) {
      root = next;
    }
    this.parent.set(key, root);
    return root;
  }

  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootA, rootB);
  }

  members(root: string): string[] {
    return [...this.parent.keys()].filter((key) => this.find(key) === root);
  }
}
