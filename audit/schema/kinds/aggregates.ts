// User aggregates (CREATE AGGREGATE): arguments, result, kind (normal, ordered-set, hypothetical),
// the transition, final, combine, serial/deserial and moving-aggregate functions, the state type
// and its initial value, the sort operator, parallel safety. pg_aggregate has had these columns
// unchanged since PostgreSQL 11. Functions are named with their argument types (regprocedure).
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import type { GlobalKind } from "./kind.ts";

export interface AggregateRow {
  schema: string;
  name: string;
  argument_types: string;
  arguments: string;
  result: string;
  kind: string;
  transition: string;
  state_type: string;
  state_space: number;
  initial: string | null;
  final: string | null;
  final_extra: boolean;
  final_modify: string;
  combine: string | null;
  serial: string | null;
  deserial: string | null;
  moving_transition: string | null;
  moving_inverse: string | null;
  moving_final: string | null;
  moving_final_extra: boolean;
  moving_final_modify: string;
  moving_state_type: string | null;
  moving_state_space: number;
  moving_initial: string | null;
  sort_operator: string | null;
  parallel: string;
  owner: string;
  comment: string | null;
}

const KIND: Record<string, string> = { n: "normal", o: "ordered-set", h: "hypothetical-set" };
const MODIFY: Record<string, string> = { r: "read_only", s: "shareable", w: "read_write" };
const PARALLEL: Record<string, string> = { s: "safe", r: "restricted", u: "unsafe" };

const fn = (column: string) => `nullif(a.${column}::oid, 0)::regprocedure::text`;

export const aggregates: GlobalKind<"aggregates", AggregateRow> = {
  name: "aggregates",
  scope: "global",
  query: `
select n.nspname as schema, p.proname as name, oidvectortypes(p.proargtypes) as argument_types,
       pg_get_function_arguments(p.oid) as arguments, pg_get_function_result(p.oid) as result,
       a.aggkind as kind, ${fn("aggtransfn")} as transition, format_type(a.aggtranstype, null) as state_type,
       a.aggtransspace as state_space, a.agginitval as initial,
       ${fn("aggfinalfn")} as final, a.aggfinalextra as final_extra, a.aggfinalmodify as final_modify,
       ${fn("aggcombinefn")} as combine, ${fn("aggserialfn")} as serial, ${fn("aggdeserialfn")} as deserial,
       ${fn("aggmtransfn")} as moving_transition, ${fn("aggminvtransfn")} as moving_inverse,
       ${fn("aggmfinalfn")} as moving_final, a.aggmfinalextra as moving_final_extra,
       a.aggmfinalmodify as moving_final_modify,
       case when a.aggmtranstype <> 0 then format_type(a.aggmtranstype, null) end as moving_state_type,
       a.aggmtransspace as moving_state_space, a.aggminitval as moving_initial,
       nullif(a.aggsortop, 0)::regoperator::text as sort_operator,
       p.proparallel as parallel, pg_get_userbyid(p.proowner) as owner,
       obj_description(p.oid, 'pg_proc') as comment
from pg_aggregate a
join pg_proc p on p.oid = a.aggfnoid
join pg_namespace n on n.oid = p.pronamespace
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name}(${row.argument_types})`;
      if (!model.keep(row.schema, name, `${row.schema}.${row.name}`)) continue;
      const moving = row.moving_transition !== null;
      model.add(
        "aggregate",
        name,
        {
          arguments: row.arguments,
          result: row.result,
          kind: KIND[row.kind] ?? row.kind,
          transition: row.transition,
          stateType: row.state_type,
          stateSpace: row.state_space,
          initial: row.initial,
          final: row.final,
          finalExtra: row.final_extra,
          finalModify: row.final === null ? null : (MODIFY[row.final_modify] ?? row.final_modify),
          combine: row.combine,
          serial: row.serial,
          deserial: row.deserial,
          movingTransition: row.moving_transition,
          movingInverse: row.moving_inverse,
          movingFinal: row.moving_final,
          movingFinalExtra: moving ? row.moving_final_extra : null,
          movingFinalModify:
            row.moving_final === null ? null : (MODIFY[row.moving_final_modify] ?? row.moving_final_modify),
          movingStateType: row.moving_state_type,
          movingStateSpace: moving ? row.moving_state_space : null,
          movingInitial: row.moving_initial,
          sortOperator: row.sort_operator,
          parallel: PARALLEL[row.parallel] ?? row.parallel,
          owner: row.owner,
          comment: row.comment,
        },
        { parent: objectKey("schema", row.schema) },
      );
    }
  },
};
