// Reads migra's expected.sql and lists every object its statements touch, so the peer-corpus
// script can check that parity's findings name each one. Pattern-based on purpose: expected.sql
// is migra's generated output, a small regular language of its own.

export type ExpectedKind =
  | "schema"
  | "table"
  | "view"
  | "column"
  | "constraint"
  | "index"
  | "trigger"
  | "type"
  | "sequence"
  | "extension"
  | "function"
  | "privilege"
  | "policy"
  | "collation";

export interface ExpectedObject {
  kind: ExpectedKind;
  /** Qualified like parity's finding objects: `public.t`, `public.t.c`, `public.idx`, `citext`. */
  name: string;
}

const Q = String.raw`"((?:[^"]|"")+)"`;
const IDENT = String.raw`(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))`;
const RAW_QUALIFIED = String.raw`((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))\.((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))`;

function unquote(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replaceAll('""', '"') : text;
}

// Temporary names migra uses while it swaps an enum; they are not objects of either database.
const TEMPORARY = /__old_version_to_be_dropped$/;

export function expectedObjects(sql: string): ExpectedObject[] {
  // Function bodies and commented-out statements (`select 1; -- drop index …`) touch nothing.
  const text = sql.replace(/\$function\$[\s\S]*?\$function\$/g, "").replace(/--[^\n]*/g, "");
  const found = new Map<string, ExpectedObject>();
  const add = (object: ExpectedObject) => {
    if (!TEMPORARY.test(object.name)) found.set(`${object.kind}:${object.name}`, object);
  };
  const each = (pattern: string, handle: (match: RegExpMatchArray) => void) => {
    for (const match of text.matchAll(new RegExp(pattern, "gi"))) handle(match);
  };
  const g = (match: RegExpMatchArray, index: number) => (match[index] ?? "").replaceAll('""', '"');

  each(String.raw`alter table ${Q}\.${Q} (?:add|drop|alter) column ${IDENT}`, (m) =>
    add({ kind: "column", name: `${g(m, 1)}.${g(m, 2)}.${g(m, 3) || g(m, 4)}` }),
  );
  each(String.raw`alter table ${Q}\.${Q} (?:add|drop|validate) constraint ${Q}`, (m) =>
    add({ kind: "constraint", name: `${g(m, 1)}.${g(m, 2)}.${g(m, 3)}` }),
  );
  each(
    String.raw`alter table ${Q}\.${Q} (?:set logged|set unlogged|enable row|disable row|force row|no force row)`,
    (m) => add({ kind: "table", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(String.raw`alter table ${Q}\.${Q} (?:attach|detach) partition ${Q}\.${Q}`, (m) =>
    add({ kind: "table", name: `${g(m, 3)}.${g(m, 4)}` }),
  );
  each(String.raw`(?:create|drop) table ${Q}\.${Q}`, (m) =>
    add({ kind: "table", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(
    String.raw`(?:create or replace view|create materialized view|drop (?:materialized )?view if exists) ${Q}\.${Q}`,
    (m) => add({ kind: "view", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(String.raw`drop index if exists ${Q}\.${Q}`, (m) =>
    add({ kind: "index", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(String.raw`create (?:unique )?index ${IDENT} on (?:only )?${RAW_QUALIFIED}`, (m) => {
    const schema = unquote(m[3] ?? "");
    add({ kind: "index", name: `${schema}.${g(m, 1) || g(m, 2)}` });
  });
  each(String.raw`drop trigger if exists ${Q} on ${Q}\.${Q}`, (m) =>
    add({ kind: "trigger", name: `${g(m, 2)}.${g(m, 3)}.${g(m, 1)}` }),
  );
  each(String.raw`create trigger ${IDENT} [\s\S]*? on ${RAW_QUALIFIED}`, (m) => {
    const relation = `${unquote(m[3] ?? "")}.${unquote(m[4] ?? "")}`;
    add({ kind: "trigger", name: `${relation}.${g(m, 1) || g(m, 2)}` });
  });
  each(String.raw`(?:create|drop|alter) type ${Q}\.${Q}`, (m) =>
    add({ kind: "type", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(String.raw`(?:create|alter) sequence ${Q}\.${Q}|drop sequence if exists ${Q}\.${Q}`, (m) =>
    add({ kind: "sequence", name: `${g(m, 1) || g(m, 3)}.${g(m, 2) || g(m, 4)}` }),
  );
  each(String.raw`(?:create extension if not exists|drop extension if exists|alter extension) ${Q}`, (m) =>
    add({ kind: "extension", name: g(m, 1) }),
  );
  each(String.raw`(?:create schema if not exists|drop schema if exists) ${Q}`, (m) =>
    add({ kind: "schema", name: g(m, 1) }),
  );
  each(String.raw`drop function if exists ${Q}\.${Q}\(`, (m) =>
    add({ kind: "function", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(String.raw`create or replace (?:function|procedure) ${RAW_QUALIFIED}\(`, (m) =>
    add({ kind: "function", name: `${unquote(m[1] ?? "")}.${unquote(m[2] ?? "")}` }),
  );
  each(String.raw`(?:grant|revoke) [\w ,]+? on table ${Q}\.${Q}`, (m) =>
    add({ kind: "privilege", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  each(String.raw`(?:create|drop) policy ${Q}\s+on ${Q}\.${Q}`, (m) =>
    add({ kind: "policy", name: `${g(m, 2)}.${g(m, 3)}.${g(m, 1)}` }),
  );
  each(String.raw`(?:create|drop) collation (?:if exists )?${Q}\.${Q}`, (m) =>
    add({ kind: "collation", name: `${g(m, 1)}.${g(m, 2)}` }),
  );
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}

/** Finding object types that can stand for an expected object of each kind. */
export const MATCHING_TYPES: Record<ExpectedKind, readonly string[]> = {
  schema: ["schema"],
  table: ["table"],
  view: ["view", "materialized-view"],
  column: ["column"],
  constraint: ["constraint"],
  index: ["index"],
  trigger: ["trigger"],
  type: ["enum", "domain", "type"],
  sequence: ["sequence"],
  extension: ["extension"],
  function: ["function", "procedure"],
  privilege: ["privilege"],
  policy: ["policy"],
  collation: ["collation"],
};

export interface FindingLike {
  ruleId: string;
  location: { objectType: string; object: string };
  expected?: unknown;
  actual?: unknown;
}

/** What a missing/extra finding lists as going with it (`contains`: `index public.t_pkey`, …). */
function contents(finding: FindingLike): { objectType: string; object: string }[] {
  const value = finding.ruleId === "schema/missing" ? finding.expected : finding.actual;
  const contains = (value as { contains?: unknown } | undefined)?.contains;
  if (!Array.isArray(contains)) return [];
  return contains.map((entry: string) => {
    const space = entry.indexOf(" ");
    return { objectType: entry.slice(0, space), object: entry.slice(space + 1) };
  });
}

/**
 * Whether `findings` name `expected`: as the object of a finding of a compatible type (functions
 * by name, whatever their argument types), or listed among the contents of a relation or schema
 * that parity reports missing or extra as a whole.
 */
export function isCovered(expected: ExpectedObject, findings: readonly FindingLike[]): boolean {
  const types = MATCHING_TYPES[expected.kind];
  const names = (candidate: { objectType: string; object: string }) =>
    types.includes(candidate.objectType) &&
    (expected.kind === "function"
      ? candidate.object.startsWith(`${expected.name}(`)
      : candidate.object === expected.name);
  return findings.some(
    (finding) =>
      names(finding.location) ||
      ((finding.ruleId === "schema/missing" || finding.ruleId === "schema/extra") &&
        contents(finding).some(names)),
  );
}
