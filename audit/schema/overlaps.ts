// `(a, b) OVERLAPS (c, d)` read alike on every major. PostgreSQL 14 started deparsing it as
// written, `((a, b) OVERLAPS (c, d))`, with the implicit casts of its arguments hidden; 13 prints
// the function it calls, `"overlaps"((a)::timestamp with time zone, b, …)`, showing those casts
// exactly as it shows casts the user wrote, so the text alone cannot tell them apart, and
// dropping every cast could hide a real difference (an explicit `a::timestamptz` among timestamp
// arguments picks another overload, and changes the meaning).
//
// The expression's stored node tree can tell them apart: each cast node records whether the
// parser added it (COERCE_IMPLICIT_CAST) or the user wrote it. So every query that deparses an
// expression also reads, when the expression calls an `overlaps` function, its node tree
// (overlapsTreeSql), and the printed call is rewritten to the special form with exactly the
// implicit casts left out (canonicalOverlaps), which is what 14+ prints for the same tree. Any
// doubt (calls the trees do not account for, a cast not printed as expected) leaves the text as
// printed: a difference may then be reported that is not one, but never the other way round.
import { endOfQuoted, matchingParen, splitTop } from "./sql-text.ts";

/** pg_proc OIDs of the `overlaps` functions (time, timetz, timestamp, timestamptz, with interval variants). */
export const OVERLAPS_FUNCTION_OIDS = [
  1271, 1304, 1305, 1306, 1307, 1308, 1309, 1310, 1311, 2041, 2042, 2043, 2044,
] as const;

const TREE_CALL = `\\{FUNCEXPR :funcid (${OVERLAPS_FUNCTION_OIDS.join("|")}) `;

// Prefixes of every OID above after `:funcid `, found by strpos before the regular expression
// runs: a regular expression over every stored default, index and constraint tree was a third of
// the column query's time in a fresh backend (16,000 defaults at 2,000 tables); strpos is a plain
// substring search, and almost no tree calls a function whose OID starts so.
const FUNCID_PREFIXES = [...new Set(OVERLAPS_FUNCTION_OIDS.map((oid) => String(oid).slice(0, 3)))];

/** SQL: the text of the pg_node_tree `column` when it calls an overlaps function, else null. */
export function overlapsTreeSql(column: string): string {
  const text = `(${column})::text`;
  const prefilter = FUNCID_PREFIXES.map((prefix) => `strpos(${text}, ':funcid ${prefix}') > 0`).join(" or ");
  return `case when (${prefilter}) and ${text} ~ '${TREE_CALL}' then ${text} end`;
}

/** One call of an overlaps function in a node tree. */
export interface OverlapsCall {
  /** 3 (COERCE_SQL_SYNTAX, 14+): printed as `(a, b) OVERLAPS (c, d)`; otherwise printed as a call. */
  format: number;
  /** Per argument: the parser's implicit cast, which 14+ hides and 13 shows. */
  implicit: boolean[];
}

const IMPLICIT_CAST = 2;
const SQL_SYNTAX = 3;

/** Index just past the node (`{…}`) or list (`(…)`) opening at `start` in node-tree text. */
function endOfGroup(tree: string, start: number): number {
  let depth = 0;
  for (let index = start; index < tree.length; index += 1) {
    const char = tree[index];
    // outToken escapes braces, parentheses, quotes and blanks inside names and strings.
    if (char === "\\") index += 1;
    else if (char === "{" || char === "(") depth += 1;
    else if (char === "}" || char === ")") {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return tree.length;
}

/** The node's own field (not a nested node's): `:name value` at its first level, or null. */
function ownField(node: string, name: string): string | null {
  let depth = 0;
  for (let index = 1; index < node.length; index += 1) {
    const char = node[index];
    if (char === "\\") index += 1;
    else if (char === "{" || char === "(") depth += 1;
    else if (char === "}" || char === ")") depth -= 1;
    else if (depth === 0 && node.startsWith(`:${name} `, index)) {
      const from = index + name.length + 2;
      if (node[from] === "{" || node[from] === "(") return node.slice(from, endOfGroup(node, from));
      const end = node.slice(from).search(/[\s})]/);
      return node.slice(from, end === -1 ? node.length : from + end);
    }
  }
  return null;
}

/** The nodes of a node-tree list `({…} {…} …)`. */
function listNodes(list: string): string[] {
  const nodes: string[] = [];
  let index = 1;
  while (index < list.length) {
    if (list[index] === "{") {
      const end = endOfGroup(list, index);
      nodes.push(list.slice(index, end));
      index = end;
    } else index += 1;
  }
  return nodes;
}

/** Whether a node is a coercion the parser added (COERCE_IMPLICIT_CAST). */
function isImplicitCast(node: string): boolean {
  const tag = /^\{([A-Z]+)/.exec(node)?.[1];
  const field =
    tag === "FUNCEXPR"
      ? "funcformat"
      : tag === "RELABELTYPE"
        ? "relabelformat"
        : tag === "COERCEVIAIO" || tag === "ARRAYCOERCEEXPR"
          ? "coerceformat"
          : null;
  return field !== null && Number(ownField(node, field)) === IMPLICIT_CAST;
}

/** The call at the start of `node`, an overlaps FUNCEXPR. */
function callOf(node: string): OverlapsCall {
  const args = ownField(node, "args");
  return {
    format: Number(ownField(node, "funcformat")),
    implicit: args === null ? [] : listNodes(args).map(isImplicitCast),
  };
}

/** Every overlaps call in node-tree text, in the tree's (pre-)order. */
export function overlapsCalls(tree: string): OverlapsCall[] {
  const calls: OverlapsCall[] = [];
  for (const match of tree.matchAll(new RegExp(TREE_CALL, "g"))) {
    if (tree[match.index - 1] === "\\") continue;
    calls.push(callOf(tree.slice(match.index, endOfGroup(tree, match.index))));
  }
  return calls;
}

/** The nodes directly inside `node` (in its fields and their lists), in order. */
function children(node: string): string[] {
  const found: string[] = [];
  let index = 1;
  while (index < node.length - 1) {
    const char = node[index];
    if (char === "\\") index += 2;
    else if (char === "{") {
      const end = endOfGroup(node, index);
      found.push(node.slice(index, end));
      index = end;
    } else index += 1;
  }
  return found;
}

/**
 * The overlaps calls of a node tree in the order the deparser prints them, or null where that
 * order is not known. Expressions print their parts in the tree's order; a query does not: its
 * target list comes first although the tree stores it after FROM (rtable, jointree), and its
 * ORDER BY / GROUP BY entries that are not in the SELECT list (resjunk) come last.
 */
function callsInPrintOrder(node: string): OverlapsCall[] | null {
  if (!new RegExp(TREE_CALL).test(node)) return [];
  if (node.startsWith("{QUERY")) return queryCalls(node);
  const calls: OverlapsCall[] = [];
  if (new RegExp(`^${TREE_CALL}`).test(node)) calls.push(callOf(node));
  for (const child of children(node)) {
    const inner = callsInPrintOrder(child);
    if (inner === null) return null;
    calls.push(...inner);
  }
  return calls;
}

function queryCalls(query: string): OverlapsCall[] | null {
  const of = (field: string) => {
    const value = ownField(query, field);
    return value === null || value === "<>" ? [] : callsInPrintOrder(value);
  };
  const targets = listNodes(ownField(query, "targetList") ?? "()");
  const junk = (entry: string) => ownField(entry, "resjunk") === "true";
  // Entries only ORDER BY names print last, in the list's order; GROUP BY's own are not placed.
  const junkCalls = targets.filter(junk).map(callsInPrintOrder);
  if (
    junkCalls.some((calls) => calls === null || calls.length > 0) &&
    ownField(query, "groupClause") !== "<>"
  ) {
    return null;
  }
  const from = of("rtable");
  const where = of("jointree");
  if (from === null || where === null || (from.length > 0 && where.length > 0)) return null;
  const segments = [
    of("cteList"),
    ...targets.filter((entry) => !junk(entry)).map(callsInPrintOrder),
    from.length > 0 ? from : where,
    of("havingQual"),
    ...junkCalls,
    of("limitOffset"),
    of("limitCount"),
    of("onConflict"),
    of("returningList"),
  ];
  if (segments.some((segment) => segment === null)) return null;
  const calls = (segments as OverlapsCall[][]).flat();
  // Calls anywhere else (a window's frame, a MERGE action): their place is not known.
  return calls.length === overlapsCalls(query).length ? calls : null;
}

const isIdentifierChar = (char: string | undefined) => char !== undefined && /[A-Za-z0-9_$."]/.test(char);

const CALL = '"overlaps"(';
/** The overloads' parameter types, as format_type prints them in a cast. */
const PARAMETER_CAST =
  /::(?:timestamp with time zone|timestamp without time zone|time with time zone|time without time zone|interval)$/;

/** Where `"overlaps"(` calls the built-in (not `schema."overlaps"(`, not inside a literal). */
function callPositions(text: string): number[] {
  const found: number[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === "'") {
      index = endOfQuoted(text, index);
      continue;
    }
    if (char === '"') {
      if (text.startsWith(CALL, index) && !isIdentifierChar(text[index - 1])) found.push(index);
      index = endOfQuoted(text, index);
      continue;
    }
    index += 1;
  }
  return found;
}

/** `(X)::T` → `X`, for a cast the parser added; null if the argument is not printed so. */
function withoutCast(argument: string): string | null {
  const cast = PARAMETER_CAST.exec(argument);
  if (!cast) return null;
  const operand = argument.slice(0, cast.index);
  if (!operand.startsWith("(") || matchingParen(operand, 0) !== operand.length - 1) return null;
  return operand.slice(1, -1);
}

/**
 * `text` (deparsed on any major) with each `"overlaps"(…)` call the node trees account for
 * printed as 14+ prints the special form: `((x1, x2) OVERLAPS (y1, y2))`, without the casts the
 * parser added. `trees` are the node trees the text was deparsed from, in the order the text
 * prints them (null where a tree calls no overlaps function).
 */
export function canonicalOverlaps(text: string | null, trees: readonly (string | null)[]): string | null {
  if (text === null || !text.includes(CALL)) return text;
  const inOrder = trees.map((tree) => (tree === null ? [] : callsInPrintOrder(tree)));
  // Where the print order is not known, the calls are matched only when they are all alike.
  const calls = inOrder.every((calls) => calls !== null)
    ? inOrder.flat()
    : trees.flatMap((tree) => (tree === null ? [] : overlapsCalls(tree)));
  const printedAsCalls = (calls as OverlapsCall[]).filter((call) => call.format !== SQL_SYNTAX);
  const positions = callPositions(text);
  if (positions.length === 0 || positions.length !== printedAsCalls.length) return text;
  const pattern = (call: OverlapsCall) => call.implicit.join();
  const alike = printedAsCalls.every((call) => pattern(call) === pattern(printedAsCalls[0] as OverlapsCall));
  if (!alike && inOrder.some((calls) => calls === null)) return text;
  return rewrite(text, positions, printedAsCalls) ?? text;
}

/** The calls at `positions` (outermost first) rewritten, inner ones included; null on any doubt. */
function rewrite(text: string, positions: readonly number[], calls: readonly OverlapsCall[]): string | null {
  const [first] = positions;
  if (first === undefined) return text;
  const open = first + CALL.length - 1;
  const close = matchingParen(text, open);
  if (close === -1) return null;
  // Calls inside this one's arguments come next in both orders.
  const inner = positions.filter((position) => position > first && position < close);
  const after = positions.filter((position) => position > close);
  const innerText = rewrite(
    text.slice(open + 1, close),
    inner.map((position) => position - open - 1),
    calls.slice(1, 1 + inner.length),
  );
  if (innerText === null) return null;
  const call = calls[0] as OverlapsCall;
  const args = splitTop(innerText, ", ");
  if (args.length !== 4 || call.implicit.length !== 4) return null;
  const shown: string[] = [];
  for (const [i, argument] of args.entries()) {
    const value = call.implicit[i] ? withoutCast(argument) : argument;
    if (value === null) return null;
    shown.push(value);
  }
  const rest = rewrite(
    text.slice(close + 1),
    after.map((position) => position - close - 1),
    calls.slice(1 + inner.length),
  );
  if (rest === null) return null;
  return `${text.slice(0, first)}((${shown[0]}, ${shown[1]}) OVERLAPS (${shown[2]}, ${shown[3]}))${rest}`;
}
