// Pure text normalization of deparsed SQL, so the same DDL reads the same on every major.
// Differences we remove are formatting only (whitespace, trailing semicolons, how a major spells
// the same call); anything that changes meaning is kept.
import { canonicalSqlStandardSyntax } from "./sql-standard-syntax.ts";

/** Trims each line's trailing blanks, drops blank edges and a trailing `;`. */
export function normalizeDefinition(text: string | null): string | null {
  if (text === null) return null;
  // Fast path: one line without edge blanks or a trailing `;` (most defaults and expressions).
  if (!text.includes("\n") && !text.includes("\r") && text.trim() === text && !text.endsWith(";"))
    return text;
  const lines = text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""));
  let joined = lines.join("\n").trim();
  if (joined.endsWith(";")) joined = joined.slice(0, -1).trimEnd();
  return joined;
}

/**
 * A deparsed expression, or a definition made of them (constraint, index, trigger, policy,
 * default, domain check, partition key or bound): normalizeDefinition, with SQL-standard
 * function syntax in one form on every major (sql-standard-syntax.ts).
 */
export function normalizeExpression(text: string | null): string | null {
  const normalized = normalizeDefinition(text);
  return normalized === null ? null : canonicalSqlStandardSyntax(normalized);
}

/**
 * A view's query as pg_get_viewdef prints it. Leading indentation differs between majors
 * (PostgreSQL 16 drops the single leading space), so lines are compared without it.
 */
export function normalizeViewDefinition(text: string | null): string | null {
  const normalized = normalizeDefinition(text);
  if (normalized === null) return null;
  const lines = normalized.split("\n").map((line) => line.trim());
  return canonicalSqlStandardSyntax(unqualifySingleRelation(lines).join("\n"));
}

/**
 * PostgreSQL 16 stopped qualifying column names in a query over one relation (`SELECT id` where
 * 15 prints `SELECT labels.id`, or `SELECT l.id` for `FROM labels l`). For a view over exactly
 * one relation, no join or other FROM, the qualifier (the alias if it has one) is dropped on
 * every major; anything else is left as printed.
 */
function unqualifySingleRelation(lines: string[]): string[] {
  const froms = lines.filter((line) => /^FROM\b/.test(line));
  if (froms.length !== 1 || lines.some((line) => /\bJOIN\b/.test(line))) return lines;
  // `FROM public.labels`, or with an alias (`FROM public.labels l`), which then qualifies the columns.
  const single = /^FROM (?:[a-z_][a-z0-9_$]*\.)?([a-z_][a-z0-9_$]*)(?: ([a-z_][a-z0-9_$]*))?$/.exec(
    froms[0] as string,
  );
  if (!single) return lines;
  const qualifier = new RegExp(`(^|[^a-z0-9_$."])${single[2] ?? single[1]}\\.(?=[a-z_"])`, "g");
  return lines.map((line) => (line.startsWith("FROM ") ? line : withoutQualifier(line, qualifier)));
}

/** `qualifier` removed outside string literals. */
function withoutQualifier(line: string, qualifier: RegExp): string {
  return line
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(qualifier, "$1")))
    .join("");
}

const PRIVILEGE_NAMES: Record<string, string> = {
  r: "SELECT",
  w: "UPDATE",
  a: "INSERT",
  d: "DELETE",
  D: "TRUNCATE",
  x: "REFERENCES",
  t: "TRIGGER",
  X: "EXECUTE",
  U: "USAGE",
  C: "CREATE",
  c: "CONNECT",
  T: "TEMPORARY",
  m: "MAINTAIN",
};

/** `grantee=privs/grantor` (grantee may be double-quoted, empty for PUBLIC) → grantee and privileges. */
export function parseAclItem(item: string): { grantee: string; privileges: string[] } {
  let grantee = "";
  let index = 0;
  if (item.startsWith('"')) {
    index = 1;
    while (index < item.length) {
      const char = item[index];
      if (char === '"' && item[index + 1] === '"') {
        grantee += '"';
        index += 2;
      } else if (char === '"') {
        index += 1;
        break;
      } else {
        grantee += char;
        index += 1;
      }
    }
  } else {
    const equals = item.indexOf("=");
    grantee = item.slice(0, equals);
    index = equals;
  }
  const rest = item.slice(index + 1);
  const letters = rest.slice(0, rest.indexOf("/") === -1 ? rest.length : rest.indexOf("/"));
  const privileges: string[] = [];
  for (let i = 0; i < letters.length; i += 1) {
    const letter = letters[i] as string;
    const grantable = letters[i + 1] === "*";
    if (grantable) i += 1;
    const name = PRIVILEGE_NAMES[letter] ?? letter;
    privileges.push(grantable ? `${name} WITH GRANT OPTION` : name);
  }
  return { grantee: grantee === "" ? "PUBLIC" : grantee, privileges: privileges.sort() };
}

/**
 * PostgreSQL 14+ prints the default `IN` mode of procedure arguments explicitly
 * (`IN p_month date`), 13 leaves it out; drop it so both read alike.
 */
export function dropDefaultInMode(argumentList: string): string {
  return argumentList.replace(/(^|, )IN (?=\S)/g, "$1");
}

/** A procedure's CREATE statement with the argument list of its first line normalized. */
export function normalizeProcedureDefinition(definition: string | null): string | null {
  if (definition === null) return null;
  const newline = definition.indexOf("\n");
  const header = newline === -1 ? definition : definition.slice(0, newline);
  const open = header.indexOf("(");
  if (open === -1) return definition;
  return (
    header.slice(0, open + 1) + dropDefaultInMode(header.slice(open + 1)) + definition.slice(header.length)
  );
}

/**
 * A rule as pg_get_ruledef prints it: lines compared without indentation (which majors print
 * differently, as for views), SQL-standard syntax in one form.
 */
export function normalizeRuleDefinition(text: string | null): string | null {
  const normalized = normalizeDefinition(text);
  if (normalized === null) return null;
  return canonicalSqlStandardSyntax(
    normalized
      .split("\n")
      .map((line) => line.trim())
      .join("\n"),
  );
}
