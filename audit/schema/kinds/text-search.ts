// Text-search configurations (parser and token-type → dictionaries mappings, in order) and
// dictionaries (template and options), as CREATE / ALTER TEXT SEARCH CONFIGURATION / DICTIONARY
// make them. Parsers and templates are C code a superuser installs, in practice with an
// extension: they are named, not compared.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import type { GlobalKind } from "./kind.ts";

export interface TextSearchRow {
  kind: "configuration" | "dictionary";
  schema: string;
  name: string;
  /** The configuration's parser, the dictionary's template. */
  source: string;
  options: string | null;
  mappings: string[] | null;
  owner: string;
  comment: string | null;
}

export const textSearch: GlobalKind<"textSearch", TextSearchRow> = {
  name: "textSearch",
  scope: "global",
  query: `
select 'configuration' as kind, n.nspname as schema, c.cfgname as name,
       pn.nspname || '.' || p.prsname as source, null::text as options,
       array(select tt.alias || ': ' || string_agg(dn.nspname || '.' || d.dictname, ', ' order by m.mapseqno)
               from pg_ts_config_map m
               join ts_token_type(c.cfgparser) tt on tt.tokid = m.maptokentype
               join pg_ts_dict d on d.oid = m.mapdict
               join pg_namespace dn on dn.oid = d.dictnamespace
              where m.mapcfg = c.oid
              group by tt.alias order by tt.alias) as mappings,
       pg_get_userbyid(c.cfgowner) as owner, obj_description(c.oid, 'pg_ts_config') as comment
from pg_ts_config c
join pg_namespace n on n.oid = c.cfgnamespace
join pg_ts_parser p on p.oid = c.cfgparser
join pg_namespace pn on pn.oid = p.prsnamespace
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_ts_config", "c.oid")}
union all
select 'dictionary', n.nspname, d.dictname, tn.nspname || '.' || t.tmplname, d.dictinitoption, null,
       pg_get_userbyid(d.dictowner), obj_description(d.oid, 'pg_ts_dict')
from pg_ts_dict d
join pg_namespace n on n.oid = d.dictnamespace
join pg_ts_template t on t.oid = d.dicttemplate
join pg_namespace tn on tn.oid = t.tmplnamespace
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_ts_dict", "d.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name)) continue;
      const parent = objectKey("schema", row.schema);
      if (row.kind === "configuration") {
        model.add(
          "text-search-configuration",
          name,
          { parser: row.source, mappings: row.mappings ?? [], owner: row.owner, comment: row.comment },
          { parent },
        );
      } else {
        model.add(
          "text-search-dictionary",
          name,
          { template: row.source, options: row.options, owner: row.owner, comment: row.comment },
          { parent },
        );
      }
    }
  },
};
