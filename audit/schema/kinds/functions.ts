// Functions, procedures and window functions, with their full definition. Argument defaults are
// expressions, deparsed by the major (SQL-standard syntax, OVERLAPS): read alike on every major in
// the argument list and the definition's first line, which holds it; the body is left as written.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import {
  dropDefaultInMode,
  normalizeDefinition,
  normalizeExpression,
  normalizeProcedureDefinition,
} from "../normalize.ts";
import { canonicalOverlaps, overlapsTreeSql } from "../overlaps.ts";
import type { GlobalKind } from "./kind.ts";
import { sorted } from "./shared.ts";

export interface FunctionRow {
  oid: number;
  schema: string;
  name: string;
  argument_types: string;
  arguments: string;
  /** The argument defaults' node tree when they call OVERLAPS (overlaps.ts). */
  defaults_overlaps: string | null;
  kind: string;
  result: string | null;
  language: string;
  volatility: string;
  strict: boolean;
  security_definer: boolean;
  leakproof: boolean;
  parallel: string;
  config: string[] | null;
  definition: string;
  owner: string;
  comment: string | null;
}

const VOLATILITY: Record<string, string> = { i: "immutable", s: "stable", v: "volatile" };
const PARALLEL: Record<string, string> = { s: "safe", r: "restricted", u: "unsafe" };

export const functions: GlobalKind<"functions", FunctionRow> = {
  name: "functions",
  scope: "global",
  query: `
select p.oid, n.nspname as schema, p.proname as name, oidvectortypes(p.proargtypes) as argument_types,
       pg_get_function_arguments(p.oid) as arguments, ${overlapsTreeSql("p.proargdefaults")} as defaults_overlaps,
       p.prokind as kind,
       pg_get_function_result(p.oid) as result, l.lanname as language, p.provolatile as volatility,
       p.proisstrict as strict, p.prosecdef as security_definer, p.proleakproof as leakproof,
       p.proparallel as parallel, p.proconfig as config, pg_get_functiondef(p.oid) as definition,
       pg_get_userbyid(p.proowner) as owner, d.description as comment
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_language l on l.oid = p.prolang
left join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass and d.objsubid = 0
where p.prokind in ('f', 'p', 'w') and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}
  -- Functions the server made for a type (range and, from 14, multirange constructors) go with the type.
  and p.oid not in (select i.objid from pg_depend i where i.classid = 'pg_proc'::regclass and i.deptype = 'i')`,
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name}(${row.argument_types})`;
      if (!model.keep(row.schema, name, `${row.schema}.${row.name}`)) continue;
      const procedure = row.kind === "p";
      const withDefaults = (text: string) =>
        normalizeExpression(canonicalOverlaps(text, [row.defaults_overlaps])) ?? text;
      model.add(
        procedure ? "procedure" : "function",
        name,
        {
          arguments: withDefaults(procedure ? dropDefaultInMode(row.arguments) : row.arguments),
          result: row.result,
          kind: row.kind === "w" ? "window" : procedure ? "procedure" : "function",
          language: row.language,
          volatility: VOLATILITY[row.volatility] ?? row.volatility,
          strict: row.strict,
          securityDefiner: row.security_definer,
          leakproof: row.leakproof,
          parallel: PARALLEL[row.parallel] ?? row.parallel,
          config: sorted(row.config),
          definition: firstLine(
            normalizeDefinition(procedure ? normalizeProcedureDefinition(row.definition) : row.definition),
            withDefaults,
          ),
          owner: row.owner,
          comment: row.comment,
        },
        { parent: objectKey("schema", row.schema) },
      );
    }
  },
};

/** `definition` with `rewrite` applied to its first line (CREATE … (arguments)) only. */
function firstLine(definition: string | null, rewrite: (line: string) => string): string | null {
  if (definition === null) return null;
  const newline = definition.indexOf("\n");
  if (newline === -1) return rewrite(definition);
  return rewrite(definition.slice(0, newline)) + definition.slice(newline);
}
