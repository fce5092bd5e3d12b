// User operators (CREATE OPERATOR), named with their argument types (`public.===(integer,integer)`,
// NONE for a prefix operator's left side): result, function, commutator, negator, restriction and
// join selectivity estimators, HASHES, MERGES. pg_operator's columns are the same on 13 to 18 (14
// dropped postfix operators, which need no column of their own).
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import type { GlobalKind } from "./kind.ts";

export interface OperatorRow {
  schema: string;
  name: string;
  result: string;
  function: string | null;
  commutator: string | null;
  negator: string | null;
  restrict: string | null;
  join: string | null;
  hashes: boolean;
  merges: boolean;
  owner: string;
  comment: string | null;
}

export const operators: GlobalKind<"operators", OperatorRow> = {
  name: "operators",
  scope: "global",
  query: `
select n.nspname as schema, o.oid::regoperator::text as name, format_type(o.oprresult, null) as result,
       nullif(o.oprcode::oid, 0)::regprocedure::text as function,
       nullif(o.oprcom, 0)::regoperator::text as commutator,
       nullif(o.oprnegate, 0)::regoperator::text as negator,
       nullif(o.oprrest::oid, 0)::regprocedure::text as restrict,
       nullif(o.oprjoin::oid, 0)::regprocedure::text as join,
       o.oprcanhash as hashes, o.oprcanmerge as merges, pg_get_userbyid(o.oprowner) as owner,
       obj_description(o.oid, 'pg_operator') as comment
from pg_operator o
join pg_namespace n on n.oid = o.oprnamespace
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_operator", "o.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      if (!model.keep(row.schema, row.name)) continue;
      model.add(
        "operator",
        row.name,
        {
          result: row.result,
          function: row.function,
          commutator: row.commutator,
          negator: row.negator,
          restrict: row.restrict,
          join: row.join,
          hashes: row.hashes,
          merges: row.merges,
          owner: row.owner,
          comment: row.comment,
        },
        { parent: objectKey("schema", row.schema) },
      );
    }
  },
};
