// The fixed set of catalog queries one introspection runs, whatever the size of the database:
// one query per kind of object, never one per object. They run with `search_path = pg_catalog`,
// so every deparsed name (pg_get_viewdef, pg_get_indexdef, …) is schema-qualified the same way
// on every server. Objects that belong to an extension are left out: the extension (and its
// version) stands for them.

const USER_SCHEMA = (alias: string) =>
  `${alias}.nspname not in ('pg_catalog', 'information_schema') and ${alias}.nspname !~ '^pg_(toast|temp_)'`;

// `not in` over a small subquery becomes one hashed lookup per row, not an index probe per row.
// An extension member's dependency always points at its extension: filtering on refclassid
// lets the subquery read pg_depend's reference index instead of scanning all of pg_depend
// (70,000 rows at 2,000 tables, ~5 ms each time, in 14 places).
const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `${oid} not in (select e.objid from pg_depend e where e.refclassid = 'pg_extension'::regclass
                    and e.classid = '${catalog}'::regclass and e.deptype = 'e')`;

export const ENGINE_QUERY = `
select current_setting('server_version_num')::int as version_num,
       current_setting('server_version') as version,
       pg_encoding_to_char(d.encoding) as encoding,
       to_jsonb(d) as database
from pg_database d where d.datname = current_database()`;

export const SETTINGS_QUERY = `
select name, reset_val as value, unit, boot_val, source, context, category from pg_settings`;

export const SCHEMAS_QUERY = `
select n.nspname as schema, obj_description(n.oid, 'pg_namespace') as comment
from pg_namespace n
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")}`;

export const RELATIONS_QUERY = `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.relpersistence as persistence,
       c.relispartition as is_partition,
       case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
       case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_key,
       case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as view_definition,
       c.reloptions as options, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
       (select array_agg(pn.nspname || '.' || p.relname order by i.inhseqno)
          from pg_inherits i join pg_class p on p.oid = i.inhparent
          join pg_namespace pn on pn.oid = p.relnamespace
         where i.inhrelid = c.oid) as parents,
       d.description as comment
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where c.relkind in ('r', 'p', 'f', 'v', 'm', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and (c.relkind <> 'c' or ${NOT_EXTENSION_MEMBER("pg_type", "c.reltype")})`;

export const COLUMNS_QUERY = `
select n.nspname as schema, c.relname as relation, c.relkind as kind, a.attname as name,
       format_type(a.atttypid, a.atttypmod) as type,
       case when a.attcollation <> t.typcollation then
         case when cn.nspname = 'pg_catalog' then quote_ident(co.collname)
              else cn.nspname || '.' || co.collname end end as collation,
       cn.nspname <> 'pg_catalog' as user_collation,
       a.attnotnull as not_null, pg_get_expr(ad.adbin, ad.adrelid) as default_expr,
       a.attidentity as identity, a.attgenerated as generated, a.attinhcount > 0 as inherited,
       bn.nspname as base_type_schema, bt.typname as base_type_name, bt.typtype as base_type_kind,
       d.description as comment
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
join pg_type bt on bt.oid = case when t.typcategory = 'A' and t.typelem <> 0 then t.typelem else t.oid end
join pg_namespace bn on bn.oid = bt.typnamespace
left join pg_collation co on co.oid = a.attcollation
left join pg_namespace cn on cn.oid = co.collnamespace
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'f', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`;

// pg_get_indexdef is the costliest call here (about 20 µs an index); an index that backs a
// primary key or unique constraint is fully described by its constraint's definition, which the
// constraints query deparses anyway, so only the others are deparsed here.
// See build-model.ts, constraintIndexDefinition.
export const INDEXES_QUERY = `
select n.nspname as schema, ic.relname as name, tn.nspname as table_schema, tc.relname as table_name,
       tc.relkind as table_kind,
       case when con.contype in ('p', 'u') then null else pg_get_indexdef(i.indexrelid) end as definition,
       con.conname as constraint_name,
       i.indisvalid as valid, d.description as comment
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_namespace n on n.oid = ic.relnamespace
join pg_class tc on tc.oid = i.indrelid
join pg_namespace tn on tn.oid = tc.relnamespace
left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u')
left join pg_description d on d.objoid = ic.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "tc.oid")}`;

export const CONSTRAINTS_QUERY = `
select n.nspname as schema, c.relname as relation, c.relkind as kind, con.conname as name,
       con.contype as type, pg_get_constraintdef(con.oid) as definition,
       con.condeferrable as deferrable, con.condeferred as deferred, con.convalidated as validated,
       d.description as comment
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = con.oid and d.classoid = 'pg_constraint'::regclass
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`;

export const SEQUENCES_QUERY = `
select n.nspname as schema, c.relname as name, format_type(s.seqtypid, null) as type,
       s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min,
       s.seqmax::text as max, s.seqcache::text as cache, s.seqcycle as cycle,
       o.deptype as owner_kind, o.owner,
       d.description as comment
from pg_sequence s
join pg_class c on c.oid = s.seqrelid
join pg_namespace n on n.oid = c.relnamespace
left join lateral (
  select dep.deptype, dn.nspname || '.' || dc.relname || '.' || da.attname as owner
  from pg_depend dep
  join pg_class dc on dc.oid = dep.refobjid
  join pg_namespace dn on dn.oid = dc.relnamespace
  join pg_attribute da on da.attrelid = dep.refobjid and da.attnum = dep.refobjsubid
  where dep.classid = 'pg_class'::regclass and dep.objid = c.oid
    and dep.refclassid = 'pg_class'::regclass and dep.deptype in ('a', 'i')
  limit 1) o on true
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`;

export const FUNCTIONS_QUERY = `
select n.nspname as schema, p.proname as name, oidvectortypes(p.proargtypes) as argument_types,
       pg_get_function_arguments(p.oid) as arguments, p.prokind as kind,
       pg_get_function_result(p.oid) as result, l.lanname as language, p.provolatile as volatility,
       p.proisstrict as strict, p.prosecdef as security_definer, p.proleakproof as leakproof,
       p.proparallel as parallel, p.proconfig as config, pg_get_functiondef(p.oid) as definition,
       d.description as comment
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_language l on l.oid = p.prolang
left join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass and d.objsubid = 0
where p.prokind in ('f', 'p', 'w') and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}
  -- Functions the server made for a type (range and, from 14, multirange constructors) go with the type.
  and p.oid not in (select i.objid from pg_depend i where i.classid = 'pg_proc'::regclass and i.deptype = 'i')`;

// tgparentid = 0: triggers cloned onto partitions are implied by the parent's (PostgreSQL 13
// hides them as internal, 15 does not; leaving them out keeps both majors alike).
export const TRIGGERS_QUERY = `
select n.nspname as schema, c.relname as relation, c.relkind as kind, t.tgname as name,
       pg_get_triggerdef(t.oid) as definition, t.tgenabled as enabled, d.description as comment
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = t.oid and d.classoid = 'pg_trigger'::regclass
where not t.tgisinternal and t.tgparentid = 0 and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`;

export const TYPES_QUERY = `
select n.nspname as schema, t.typname as name, t.typtype as kind,
       case when t.typtype = 'e' then
         (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid)
       end as labels,
       case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod)
            when t.typtype = 'r' then (select format_type(r.rngsubtype, null) from pg_range r where r.rngtypid = t.oid)
       end as base_type,
       t.typnotnull as not_null, t.typdefault as default_expr,
       case when t.typtype = 'd' then
         (select array_agg(quote_ident(con.conname) || ' ' || pg_get_constraintdef(con.oid) order by con.conname)
            from pg_constraint con where con.contypid = t.oid)
       end as checks,
       d.description as comment
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
left join pg_description d on d.objoid = t.oid and d.classoid = 'pg_type'::regclass and d.objsubid = 0
where t.typtype in ('e', 'd', 'r') and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_type", "t.oid")}`;

export const EXTENSIONS_QUERY = `
select x.extname as name, x.extversion as version, n.nspname as schema
from pg_extension x join pg_namespace n on n.oid = x.extnamespace`;

// PostgreSQL 15 moved ICU locales from collcollate to colliculocale (17: colllocale); reading
// the row as JSON lets one query serve every major.
export const COLLATIONS_QUERY = `
select n.nspname as schema, co.collname as name, co.collprovider as provider,
       co.collisdeterministic as deterministic,
       coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale') as locale,
       co.collcollate as collate, co.collctype as ctype, d.description as comment
from pg_collation co
join pg_namespace n on n.oid = co.collnamespace
left join pg_description d on d.objoid = co.oid and d.classoid = 'pg_collation'::regclass
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_collation", "co.oid")}`;

export const POLICIES_QUERY = `
select n.nspname as schema, c.relname as relation, p.polname as name, p.polcmd as command,
       p.polpermissive as permissive,
       array(select case when r = 0 then 'public' else pg_get_userbyid(r) end
               from unnest(p.polroles) r order by 1) as roles,
       pg_get_expr(p.polqual, p.polrelid) as using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) as check_expr
from pg_policy p
join pg_class c on c.oid = p.polrelid
join pg_namespace n on n.oid = c.relnamespace
where ${USER_SCHEMA("n")}`;

// Tables, views, sequences, their columns, schemas and functions. Only objects with an explicit
// ACL: a NULL ACL means the built-in default, the same everywhere.
// The default is sent along so the model can keep just the entries that differ from it.
export const PRIVILEGES_QUERY = `
select case when c.relkind = 'S' then 'sequence' else 'table' end as on_kind, c.relkind::text as relkind,
       n.nspname || '.' || c.relname as name, pg_get_userbyid(c.relowner) as owner,
       c.relacl::text[] as acl,
       acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner)::text[] as default_acl,
       false as initial
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relacl is not null and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
union all
select 'column', c.relkind::text, n.nspname || '.' || c.relname || '.' || a.attname,
       pg_get_userbyid(c.relowner), a.attacl::text[], '{}'::text[], false
from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
where a.attacl is not null and a.attnum > 0 and not a.attisdropped and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
union all
select 'schema', null, n.nspname, pg_get_userbyid(n.nspowner), n.nspacl::text[],
       acldefault('n'::"char", n.nspowner)::text[],
       -- Still as initdb left it (the public schema: PUBLIC may CREATE before 15, not from 15).
       coalesce(n.nspacl = (select ip.initprivs from pg_init_privs ip
                             where ip.objoid = n.oid and ip.classoid = 'pg_namespace'::regclass
                               and ip.objsubid = 0), false)
from pg_namespace n
where n.nspacl is not null and ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")}
union all
select 'function', p.prokind::text, n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
       pg_get_userbyid(p.proowner), p.proacl::text[], acldefault('f'::"char", p.proowner)::text[], false
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where p.proacl is not null and p.prokind in ('f', 'p', 'w') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_proc", "p.oid")}`;

// What each view, materialized view and SQL-visible rule is built on, from its rewrite rule.
export const VIEW_DEPENDENCIES_QUERY = `
select distinct vn.nspname || '.' || v.relname as view_name, v.relkind as view_kind,
       case d.refclassid
         when 'pg_class'::regclass then 'class'
         when 'pg_type'::regclass then 'type'
         when 'pg_proc'::regclass then 'proc' end as ref_catalog,
       coalesce(rn.nspname || '.' || rc.relname, tn.nspname || '.' || t.typname,
                pn.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')') as ref_name,
       rc.relkind as ref_kind, t.typtype as ref_type_kind, p.prokind as ref_proc_kind, ra.attname as ref_column
from pg_rewrite r
join pg_class v on v.oid = r.ev_class
join pg_namespace vn on vn.oid = v.relnamespace
join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.deptype = 'n'
left join pg_class rc on d.refclassid = 'pg_class'::regclass and rc.oid = d.refobjid
left join pg_namespace rn on rn.oid = rc.relnamespace
left join pg_attribute ra on ra.attrelid = rc.oid and ra.attnum = d.refobjsubid and d.refobjsubid > 0
left join pg_type t on d.refclassid = 'pg_type'::regclass and t.oid = d.refobjid
left join pg_namespace tn on tn.oid = t.typnamespace
left join pg_proc p on d.refclassid = 'pg_proc'::regclass and p.oid = d.refobjid
left join pg_namespace pn on pn.oid = p.pronamespace
where v.relkind in ('v', 'm') and ${USER_SCHEMA("vn")}
  and d.refobjid <> r.ev_class
  and coalesce(rn.nspname, tn.nspname, pn.nspname) is not null
  and coalesce(rn.nspname, tn.nspname, pn.nspname) not in ('pg_catalog', 'information_schema')`;
