// User collations: provider, locale (ICU) or collate/ctype (libc), deterministic.
import { NOT_EXTENSION_MEMBER, USER_SCHEMA } from "../catalog-sql.ts";
import { objectKey } from "../model.ts";
import type { GlobalKind } from "./kind.ts";

export interface CollationRow {
  oid: number;
  schema: string;
  name: string;
  provider: string;
  deterministic: boolean;
  locale: string | null;
  collate: string | null;
  ctype: string | null;
  owner: string;
  comment: string | null;
}

const COLLATION_PROVIDERS: Record<string, string> = { c: "libc", i: "icu", d: "default" };

export const collations: GlobalKind<"collations", CollationRow> = {
  name: "collations",
  scope: "global",
  // PostgreSQL 15 moved ICU locales from collcollate to colliculocale (17: colllocale); reading
  // the row as JSON lets one query serve every major.
  query: `
select co.oid, n.nspname as schema, co.collname as name, co.collprovider as provider,
       co.collisdeterministic as deterministic,
       coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale') as locale,
       co.collcollate as collate, co.collctype as ctype, pg_get_userbyid(co.collowner) as owner,
       d.description as comment
from pg_collation co
join pg_namespace n on n.oid = co.collnamespace
left join pg_description d on d.objoid = co.oid and d.classoid = 'pg_collation'::regclass
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_collation", "co.oid")}`,
  build(rows, model) {
    for (const row of rows) {
      const name = `${row.schema}.${row.name}`;
      if (!model.keep(row.schema, name)) continue;
      const provider = COLLATION_PROVIDERS[row.provider] ?? row.provider;
      model.add(
        "collation",
        name,
        provider === "icu"
          ? {
              provider,
              locale: row.locale ?? row.collate,
              deterministic: row.deterministic,
              owner: row.owner,
              comment: row.comment,
            }
          : {
              provider,
              collate: row.collate,
              ctype: row.ctype,
              deterministic: row.deterministic,
              owner: row.owner,
              comment: row.comment,
            },
        { parent: objectKey("schema", row.schema) },
      );
    }
  },
};
