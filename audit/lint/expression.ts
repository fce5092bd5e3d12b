// What lint needs to know about an expression in a migration: which functions it calls, and whether
// the target would evaluate it once (a constant, immutable or stable: PostgreSQL 11+ stores it as the
// column's "missing value") or once per row (volatile: the table is rewritten).
import type { TargetFacts } from "./facts.ts";

/** Lower-case names of every function an expression calls (`gen_random_uuid`, `nextval`). */
export function calledFunctions(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) calledFunctions(item, into);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "FuncCall") {
        const names = (value as { funcname?: Array<{ String?: { sval?: string } }> }).funcname ?? [];
        const last = names.at(-1)?.String?.sval;
        if (last) into.add(last.toLowerCase());
      }
      calledFunctions(value, into);
    }
  }
  return into;
}

export type Volatility = "constant" | "volatile" | "unknown";

export interface VolatilityVerdict {
  volatility: Volatility;
  /** The functions that make it so. */
  functions: string[];
}

/** Volatile when any called function is volatile on the target; unknown when one is not there. */
export function volatilityOf(expression: unknown, target: TargetFacts): VolatilityVerdict {
  const functions = [...calledFunctions(expression)];
  const volatile = functions.filter((name) => target.functionVolatility.get(name)?.includes("v"));
  if (volatile.length > 0) return { volatility: "volatile", functions: volatile };
  const missing = functions.filter((name) => !target.functionVolatility.has(name));
  if (missing.length > 0) return { volatility: "unknown", functions: missing };
  return { volatility: "constant", functions: [] };
}

/** Columns a CHECK expression proves NOT NULL: `c IS NOT NULL`, alone or AND-ed with others. */
export function notNullColumns(expression: unknown): string[] {
  const node = expression as {
    NullTest?: {
      nulltesttype?: string;
      arg?: { ColumnRef?: { fields?: Array<{ String?: { sval?: string } }> } };
    };
    BoolExpr?: { boolop?: string; args?: unknown[] };
  };
  if (node?.NullTest?.nulltesttype === "IS_NOT_NULL") {
    const column = node.NullTest.arg?.ColumnRef?.fields?.at(-1)?.String?.sval;
    return column ? [column] : [];
  }
  if (node?.BoolExpr?.boolop === "AND_EXPR") return (node.BoolExpr.args ?? []).flatMap(notNullColumns);
  return [];
}
