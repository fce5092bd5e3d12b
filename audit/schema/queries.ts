// The fixed set of catalog queries one introspection runs, whatever the size of the database:
// one query per kind of object, never one per object. The queries for objects that live on a
// relation take the relations to read as $1 (NULL: all of them); see paired-read.ts. They run with `search_path = pg_catalog`,
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
select n.oid, n.nspname as schema, obj_description(n.oid, 'pg_namespace') as comment
from pg_namespace n
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")}`;

// $2: relations read light (paired-read.ts). Of those only views and materialized views, which
// can be named as dependents themselves, and nothing deparsed: they are the same on every side.
export const RELATIONS_QUERY = `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.relpersistence as persistence,
       c.relispartition as is_partition,
       case when c.relispartition and light.oid is null then pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
       case when c.relkind = 'p' and light.oid is null then pg_get_partkeydef(c.oid) end as partition_key,
       case when c.relkind in ('v', 'm') and light.oid is null then pg_get_viewdef(c.oid) end as view_definition,
       c.reloptions as options, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
       (select array_agg(pn.nspname || '.' || p.relname order by i.inhseqno)
          from pg_inherits i join pg_class p on p.oid = i.inhparent
          join pg_namespace pn on pn.oid = p.relnamespace
         where i.inhrelid = c.oid) as parents,
       d.description as comment
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
left join unnest($2::oid[]) as light(oid) on light.oid = c.oid
where c.relkind in ('r', 'p', 'f', 'v', 'm', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and (c.relkind <> 'c' or ${NOT_EXTENSION_MEMBER("pg_type", "c.reltype")})
  and ($1::oid[] is null or c.oid = any($1::oid[]) or (c.relkind in ('v', 'm') and light.oid is not null))`;

// A column as the model sees it, for the two queries below (each says which rows of pg_attribute `a`).
const COLUMN_FIELDS = `
       n.nspname as schema, c.relname as relation, c.relkind as kind, a.attname as name,
       format_type(a.atttypid, a.atttypmod) as type,
       case when a.attcollation <> t.typcollation then
         case when cn.nspname = 'pg_catalog' then quote_ident(co.collname)
              else cn.nspname || '.' || co.collname end end as collation,
       cn.nspname <> 'pg_catalog' as user_collation,
       a.attnotnull as not_null,
       a.attidentity as identity, a.attgenerated as generated, a.attinhcount > 0 as inherited,
       bn.nspname as base_type_schema, bt.typname as base_type_name, bt.typtype as base_type_kind,
       d.description as comment`;
const COLUMN_JOINS = `
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
join pg_type bt on bt.oid = case when t.typcategory = 'A' and t.typelem <> 0 then t.typelem else t.oid end
join pg_namespace bn on bn.oid = bt.typnamespace
left join pg_collation co on co.oid = a.attcollation
left join pg_namespace cn on cn.oid = co.collnamespace
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum`;

export const COLUMNS_QUERY = `
select ${COLUMN_FIELDS},
       pg_get_expr(ad.adbin, ad.adrelid) as default_expr
from pg_attribute a ${COLUMN_JOINS}
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'f', 'c') and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`;

// For relations read light (paired-read.ts), only the columns something can depend on through
// the model: those of a type or collation that is not pinned, which pg_depend records for the
// column. Nothing else of such a relation can differ, or be named as a dependent.
export const LIGHT_COLUMNS_QUERY = `
select ${COLUMN_FIELDS},
       null::text as default_expr
from (select distinct dep.objid, dep.objsubid
      from unnest($1::oid[]) as light(oid),
      -- offset 0: one probe of pg_depend's depender index per relation, not a scan of every
      -- column's type dependency in the database.
      lateral (select dep.objid, dep.objsubid from pg_depend dep
               where dep.classid = 'pg_class'::regclass and dep.objid = light.oid and dep.objsubid > 0
                 and dep.refclassid in ('pg_type'::regclass, 'pg_collation'::regclass) offset 0) dep) typed
join pg_attribute a on a.attrelid = typed.objid and a.attnum = typed.objsubid ${COLUMN_JOINS}
where not a.attisdropped and c.relkind in ('r', 'p', 'f', 'c') and ${USER_SCHEMA("n")}
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
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "tc.oid")}
  and ($1::oid[] is null or tc.oid = any($1::oid[]))`;

export const CONSTRAINTS_QUERY = `
select n.nspname as schema, c.relname as relation, c.relkind as kind, con.conname as name,
       con.contype as type, pg_get_constraintdef(con.oid) as definition,
       con.condeferrable as deferrable, con.condeferred as deferred, con.convalidated as validated,
       d.description as comment
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = con.oid and d.classoid = 'pg_constraint'::regclass
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`;

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
where ${USER_SCHEMA("n")} and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`;

export const FUNCTIONS_QUERY = `
select p.oid, n.nspname as schema, p.proname as name, oidvectortypes(p.proargtypes) as argument_types,
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
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  -- $2: relations read light; a trigger on a view goes with the view, so it is read too.
  and ($1::oid[] is null or c.oid = any($1::oid[]) or (c.relkind = 'v' and c.oid = any($2::oid[])))`;

export const TYPES_QUERY = `
select t.oid, n.nspname as schema, t.typname as name, t.typtype as kind,
       t.typarray as array_type,
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
select x.oid, x.extname as name, x.extversion as version, n.nspname as schema
from pg_extension x join pg_namespace n on n.oid = x.extnamespace`;

// PostgreSQL 15 moved ICU locales from collcollate to colliculocale (17: colllocale); reading
// the row as JSON lets one query serve every major.
export const COLLATIONS_QUERY = `
select co.oid, n.nspname as schema, co.collname as name, co.collprovider as provider,
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
where ${USER_SCHEMA("n")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))`;

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
  and ($1::oid[] is null or c.oid = any($1::oid[]))
union all
select 'column', c.relkind::text, n.nspname || '.' || c.relname || '.' || a.attname,
       pg_get_userbyid(c.relowner), a.attacl::text[], '{}'::text[], false
from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
where a.attacl is not null and a.attnum > 0 and not a.attisdropped and ${USER_SCHEMA("n")}
  and ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
  and ($1::oid[] is null or c.oid = any($1::oid[]))
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
  and coalesce(rn.nspname, tn.nspname, pn.nspname) not in ('pg_catalog', 'information_schema')
  and ($1::oid[] is null or v.oid = any($1::oid[]))`;

// ---- The paired read (paired-read.ts). Two databases cloned from one another keep the OIDs of
// everything they had in common, so most of a comparison can be settled on the servers: a
// 64-bit hash per relation of everything the model compares for it and for what lives on it
// (columns, defaults, indexes, constraints, triggers, policies, privileges, comments, its view
// query), built from the catalog rows as stored, without deparsing anything. Only relations
// whose hashes differ, and what depends on them, are then read in full. hash_record_extended
// needs PostgreSQL 14; columns a major added are named per major.

// The 64 oldest user relations: a clone keeps its source's OIDs, so clones share these and
// databases built separately do not (paired-read.ts reads fingerprints only for clones). One
// short walk up pg_class's OID index.
export const OLDEST_RELATIONS_QUERY = `
select c.oid, n.nspname || '.' || c.relname as name
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.oid >= 16384 and c.relkind in ('r', 'p', 'f', 'v', 'm', 'c', 'S') and ${USER_SCHEMA("n")}
order by c.oid
limit 64`;

const hashOfTree = (column: string, seed = "0") => `hashtextextended(${column}::text, ${seed})`;

/** One line `oid row_type array_type fingerprint names` per user relation (r, p, f, v, m, c, S). */
export function fingerprintQuery(major: number): string {
  const indexExtra = major >= 15 ? ", i.indnullsnotdistinct" : "";
  const constraintExtra = [major >= 15 ? "con.confdelsetcols" : "", major >= 17 ? "con.conperiod" : ""]
    .filter(Boolean)
    .map((column) => `, ${column}`)
    .join("");
  // One hash per catalog row, each kind with its own seed, XORed per relation in one aggregate:
  // one pass over each catalog and a single grouping, never a subquery per relation. Rows are
  // unique per relation within a kind (attnum, index, constraint and trigger names, …), so
  // none cancel out. User objects have OIDs from 16384 (FirstNormalObjectId) up, which keeps
  // the catalogs' own rows out before any hashing; the final join keeps user schemas only.
  return `
with
relations as materialized (
  select c.oid, c.reltype, c.relkind, n.nspname, c.relname, c.relpersistence, c.relispartition,
         c.relpartbound, c.reloptions, c.relrowsecurity, c.relforcerowsecurity, c.relacl, c.relowner
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'f', 'v', 'm', 'c', 'S') and ${USER_SCHEMA("n")}),
extension_members as (
  select e.objid from pg_depend e
  where e.refclassid = 'pg_extension'::regclass and e.classid = 'pg_class'::regclass and e.deptype = 'e'),
rows_hashed(rel, h, name_hash) as (
  select c.oid,
         hash_record_extended(row(c.relname, c.nspname, c.relkind, c.relpersistence, c.relispartition,
           ${hashOfTree("c.relpartbound")}, c.reloptions, c.relrowsecurity, c.relforcerowsecurity, c.relacl::text,
           c.relowner, c.oid in (select objid from extension_members)), 1),
         0::int8
  from relations c
  union all
  -- A sequence's columns are the same for every sequence of a major: its settings are below.
  select a.attrelid,
         hash_record_extended(row(a.attnum, a.attname, a.atttypid, a.atttypmod, a.attcollation, a.attnotnull,
           a.attidentity, a.attgenerated, a.attinhcount, a.attisdropped, a.attacl::text), 2),
         hashtextextended(a.attname::text, a.attnum)
  from pg_attribute a join pg_class ac on ac.oid = a.attrelid
  where a.attnum > 0 and a.attrelid >= 16384 and ac.relkind in ('r', 'p', 'f', 'v', 'm', 'c')
  union all
  select ad.adrelid, ${hashOfTree("ad.adbin", "ad.adnum + 3")}, 0 from pg_attrdef ad where ad.adrelid >= 16384
  union all
  -- 99 is pg_toast: the indexes of TOAST tables follow from their tables.
  select i.indrelid,
         hash_record_extended(row(ic.relname, ic.relam, ic.reloptions, ic.reltablespace, i.indisunique,
           i.indisprimary, i.indisexclusion, i.indimmediate, i.indisvalid, i.indnkeyatts, i.indkey::int2[],
           i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[], ${hashOfTree("i.indexprs")},
           ${hashOfTree("i.indpred")}, d.description${indexExtra}), 4),
         0
  from pg_index i join pg_class ic on ic.oid = i.indexrelid and ic.relnamespace <> 99
  left join pg_description d on d.objoid = ic.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
  where i.indrelid >= 16384
  union all
  select con.conrelid,
         hash_record_extended(row(con.conname, con.contype, con.condeferrable, con.condeferred,
           con.convalidated, con.conindid, con.confrelid, con.confupdtype, con.confdeltype, con.confmatchtype,
           con.conislocal, con.coninhcount, con.connoinherit, con.conkey, con.confkey, con.conpfeqop,
           con.conppeqop, con.conffeqop, con.conexclop, ${hashOfTree("con.conbin")}, d.description${constraintExtra}), 5),
         0
  from pg_constraint con
  left join pg_description d on d.objoid = con.oid and d.classoid = 'pg_constraint'::regclass
  where con.conrelid >= 16384
  union all
  select t.tgrelid,
         hash_record_extended(row(t.tgname, t.tgfoid, t.tgtype, t.tgenabled, t.tgconstrrelid,
           t.tgconstrindid, t.tgconstraint, t.tgdeferrable, t.tginitdeferred, t.tgattr::int2[], t.tgargs,
           ${hashOfTree("t.tgqual")}, t.tgoldtable, t.tgnewtable, t.tgparentid, d.description), 6),
         0
  from pg_trigger t
  left join pg_description d on d.objoid = t.oid and d.classoid = 'pg_trigger'::regclass
  where not t.tgisinternal
  union all
  select p.polrelid,
         hash_record_extended(row(p.polname, p.polcmd, p.polpermissive, p.polroles::regrole[]::text,
           ${hashOfTree("p.polqual")}, ${hashOfTree("p.polwithcheck")}), 7),
         0
  from pg_policy p
  union all
  select d.objoid, hash_record_extended(row(d.objsubid, d.description), 8), 0
  from pg_description d where d.classoid = 'pg_class'::regclass and d.objoid >= 16384
  union all
  select i.inhrelid, hash_record_extended(row(i.inhparent, i.inhseqno), 9), 0 from pg_inherits i
  union all
  select pt.partrelid,
         hash_record_extended(row(pt.partstrat, pt.partattrs::int2[], pt.partclass::oid[],
           pt.partcollation::oid[], ${hashOfTree("pt.partexprs")}), 10),
         0
  from pg_partitioned_table pt
  union all
  -- A sequence's settings and the column it is owned by (one index probe each: limit 1 keeps
  -- the planner from scanning all of pg_depend instead).
  select s.seqrelid,
         hash_record_extended(row(s.seqtypid, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache,
           s.seqcycle, dep.refobjid, dep.refobjsubid, dep.deptype), 11),
         0
  from pg_sequence s
  left join lateral (
    select dep.refobjid, dep.refobjsubid, dep.deptype from pg_depend dep
    where dep.classid = 'pg_class'::regclass and dep.objid = s.seqrelid and dep.objsubid = 0
      and dep.refclassid = 'pg_class'::regclass and dep.deptype in ('a', 'i')
    limit 1) dep on true
  union all
  select r.ev_class, ${hashOfTree("r.ev_action", "12")}, 0
  from pg_rewrite r where r.rulename = '_RETURN'),
by_relation as (
  select rel, bit_xor(h) as h, bit_xor(name_hash) as name_hash from rows_hashed group by rel)
-- One line per relation (introspect.ts, parseFingerprintLines): OID, row type, its array type
-- (0 for none), the fingerprint, and the hash of what other objects' definitions print of it
-- (its name and its columns' names: a change there is a rename).
select string_agg(concat_ws(' ', c.oid, c.reltype, coalesce(rt.typarray, 0), h.h,
                            hash_record_extended(row(c.relname, c.nspname, h.name_hash), 0)), E'\\n') as lines
from relations c
join by_relation h on h.rel = c.oid
left join pg_type rt on rt.oid = c.reltype`;
}

// What the OIDs stored in catalog trees stand for, for the objects the fingerprints and the
// global rows do not name themselves (extension members, operators, operator classes, text
// search objects, roles, schemas): `oid<TAB>stand-in<TAB>identity` per line. A renamed object
// keeps its OID but deparses differently, so an OID whose identity differs between the two
// databases seeds the full read of everything that names it. An enum label's stand-in is its
// type, which is what pg_depend records. From OID 10000 up: lower OIDs are fixed per major.
export const IDENTITY_QUERY = `
select string_agg(line, E'\\n') as lines from (
  select t.oid || E'\\t' || t.oid || E'\\tt ' || n.nspname || '.' || t.typname as line
  from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.oid >= 10000 and t.typrelid = 0
  union all
  select e.oid || E'\\t' || e.enumtypid || E'\\te ' || e.enumlabel from pg_enum e where e.oid >= 10000
  union all
  select p.oid || E'\\t' || p.oid || E'\\tp ' || n.nspname || '.' || p.proname || '(' || p.proargtypes::text || ')'
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.oid >= 10000
  union all
  select o.oid || E'\\t' || o.oid || E'\\to ' || n.nspname || '.' || o.oprname || '(' || o.oprleft || ',' || o.oprright || ')'
  from pg_operator o join pg_namespace n on n.oid = o.oprnamespace where o.oid >= 10000
  union all
  select co.oid || E'\\t' || co.oid || E'\\tl ' || n.nspname || '.' || co.collname
  from pg_collation co join pg_namespace n on n.oid = co.collnamespace where co.oid >= 10000
  union all
  select n.oid || E'\\t' || n.oid || E'\\tn ' || n.nspname from pg_namespace n where n.oid >= 10000
  union all
  select oc.oid || E'\\t' || oc.oid || E'\\tk ' || n.nspname || '.' || oc.opcname || ' ' || oc.opcmethod
  from pg_opclass oc join pg_namespace n on n.oid = oc.opcnamespace where oc.oid >= 10000
  union all
  select f.oid || E'\\t' || f.oid || E'\\tf ' || n.nspname || '.' || f.opfname || ' ' || f.opfmethod
  from pg_opfamily f join pg_namespace n on n.oid = f.opfnamespace where f.oid >= 10000
  union all
  select am.oid || E'\\t' || am.oid || E'\\ta ' || am.amname from pg_am am where am.oid >= 10000
  union all
  select cf.oid || E'\\t' || cf.oid || E'\\ts ' || n.nspname || '.' || cf.cfgname
  from pg_ts_config cf join pg_namespace n on n.oid = cf.cfgnamespace where cf.oid >= 10000
  union all
  select d.oid || E'\\t' || d.oid || E'\\tx ' || n.nspname || '.' || d.dictname
  from pg_ts_dict d join pg_namespace n on n.oid = d.dictnamespace where d.oid >= 10000
  union all
  select r.oid || E'\\t' || r.oid || E'\\tr ' || r.rolname from pg_roles r where r.oid >= 10000
) lines`;

// The relations to read, given the OIDs that differ: $1 the renamed seeds, $2 the changed ones
// (paired-read.ts), each followed separately. For each: the seeds that are relations, every
// relation something of which names a seed (a default naming a sequence, a foreign key naming a
// table, a column of a changed type, an index using a function, …), and every view built on any
// of those, transitively. Seeds come from these catalogs only, which lets pg_depend's reference
// index find what names them; each row naming one is then mapped to its relation by one index
// probe into the catalog it lives in.
export const CLOSURE_QUERY = `
with recursive
seeds(oid, renamed) as (select unnest($1::oid[]), true union all select unnest($2::oid[]), false),
naming as materialized (
  select d.classid, d.objid, s.renamed
  from seeds s
  join pg_depend d on d.refobjid = s.oid
   and d.refclassid in ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass, 'pg_collation'::regclass,
                        'pg_namespace'::regclass, 'pg_operator'::regclass, 'pg_opclass'::regclass,
                        'pg_opfamily'::regclass, 'pg_am'::regclass, 'pg_ts_config'::regclass, 'pg_ts_dict'::regclass)),
named as materialized (
  select case d.classid
           when 'pg_class'::regclass then
             coalesce((select i.indrelid from pg_index i where i.indexrelid = d.objid), d.objid)
           when 'pg_attrdef'::regclass then (select ad.adrelid from pg_attrdef ad where ad.oid = d.objid)
           when 'pg_constraint'::regclass then (select con.conrelid from pg_constraint con where con.oid = d.objid)
           when 'pg_rewrite'::regclass then (select r.ev_class from pg_rewrite r where r.oid = d.objid)
           when 'pg_trigger'::regclass then (select tg.tgrelid from pg_trigger tg where tg.oid = d.objid)
           when 'pg_policy'::regclass then (select pol.polrelid from pg_policy pol where pol.oid = d.objid)
           when 'pg_type'::regclass then (select ty.typrelid from pg_type ty where ty.oid = d.objid)
         end as rel,
         d.renamed
  from naming d),
reach(rel, renamed) as (
  select rel, renamed
  from (select rel, renamed from named union select c.oid, s.renamed from pg_class c join seeds s on s.oid = c.oid) s
  where rel is not null and rel <> 0
  union
  select r.ev_class, x.renamed from reach x
  join pg_depend d on d.refclassid = 'pg_class'::regclass and d.refobjid = x.rel and d.classid = 'pg_rewrite'::regclass
  join pg_rewrite r on r.oid = d.objid)
select coalesce(array_agg(distinct rel) filter (where renamed), '{}') as renamed,
       coalesce(array_agg(distinct rel) filter (where not renamed), '{}') as changed
from reach`;
