import { USER_SCHEMA } from "../catalog-sql.ts";

// The paired read's catalog queries (see complete.ts). Two databases cloned from one another keep the OIDs of
// everything they had in common, so most of a comparison can be settled on the servers: a
// 64-bit hash per relation of everything the model compares for it and for what lives on it
// (columns, defaults, indexes, constraints, triggers, policies, privileges, comments, its view
// query), built from the catalog rows as stored, without deparsing anything. Only relations
// whose hashes differ, and what depends on them, are then read in full. Columns a major added
// are named per major; 13, without hash_record_extended, hashes rows as text.

// The 64 oldest user relations: a clone keeps its source's OIDs, so clones share these and
// databases built separately do not (seeds.ts, looksCloned). One
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
  // 14 added attcompression and expression statistics (stxexprs).
  const attributeExtra = major >= 14 ? ", a.attcompression" : "";
  // PostgreSQL 13 has neither hash_record_extended nor bit_xor (both 14): there a row is hashed
  // as its text and a relation's hashes are summed as numeric (a sum is as blind to order as
  // XOR, and nothing overflows). Only databases of one major are ever compared.
  const rowHash = (fields: string, seed: number) =>
    major >= 14
      ? `hash_record_extended(row(${fields}), ${seed})`
      : `hashtextextended(row(${fields})::text, ${seed})`;
  const combine = (column: string) => (major >= 14 ? `bit_xor(${column})` : `sum(${column}::numeric)`);
  const constraintExtra = [
    major >= 15 ? "con.confdelsetcols" : "",
    // WITHOUT OVERLAPS (conperiod) was reverted from 17 and is 18+.
    major >= 18 ? "con.conperiod" : "",
    major >= 18 ? "con.conenforced" : "",
  ]
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
         c.relpartbound, c.reloptions, c.relrowsecurity, c.relforcerowsecurity, c.relacl, c.relowner,
         c.relreplident, c.relam, c.reltablespace
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'f', 'v', 'm', 'c', 'S') and ${USER_SCHEMA("n")}),
extension_members as (
  select e.objid from pg_depend e
  where e.refclassid = 'pg_extension'::regclass and e.classid = 'pg_class'::regclass and e.deptype = 'e'),
rows_hashed(rel, h, name_hash) as (
  select c.oid,
         ${rowHash(
           `c.relname, c.nspname, c.relkind, c.relpersistence, c.relispartition,
           ${hashOfTree("c.relpartbound")}, c.reloptions, c.relrowsecurity, c.relforcerowsecurity, c.relacl::text, c.relreplident,
           c.relowner, c.relam, c.reltablespace, c.oid in (select objid from extension_members)`,
           1,
         )},
         0::int8
  from relations c
  union all
  -- A sequence's columns are the same for every sequence of a major: its settings are below.
  select a.attrelid,
         ${rowHash(
           `a.attnum, a.attname, a.atttypid, a.atttypmod, a.attcollation, a.attnotnull,
           a.attidentity, a.attgenerated, a.attinhcount, a.attisdropped, a.attacl::text, a.attstorage,
           a.attstattarget, a.attfdwoptions${attributeExtra}`,
           2,
         )},
         hashtextextended(a.attname::text, a.attnum)
  from pg_attribute a join pg_class ac on ac.oid = a.attrelid
  where a.attnum > 0 and a.attrelid >= 16384 and ac.relkind in ('r', 'p', 'f', 'v', 'm', 'c')
  union all
  select ad.adrelid, ${hashOfTree("ad.adbin", "ad.adnum + 3")}, 0 from pg_attrdef ad where ad.adrelid >= 16384
  union all
  -- 99 is pg_toast: the indexes of TOAST tables follow from their tables.
  select i.indrelid,
         ${rowHash(
           `ic.relname, ic.relam, ic.reloptions, ic.reltablespace, i.indisunique,
           i.indisprimary, i.indisexclusion, i.indimmediate, i.indisvalid, i.indnkeyatts, i.indkey::int2[],
           i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[], ${hashOfTree("i.indexprs")},
           ${hashOfTree("i.indpred")}, d.description, i.indisreplident${indexExtra}`,
           4,
         )},
         0
  from pg_index i join pg_class ic on ic.oid = i.indexrelid and ic.relnamespace <> 99
  left join pg_description d on d.objoid = ic.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
  where i.indrelid >= 16384
  union all
  select con.conrelid,
         ${rowHash(
           `con.conname, con.contype, con.condeferrable, con.condeferred,
           con.convalidated, con.conindid, con.confrelid, con.confupdtype, con.confdeltype, con.confmatchtype,
           con.conislocal, con.coninhcount, con.connoinherit, con.conkey, con.confkey, con.conpfeqop,
           con.conppeqop, con.conffeqop, con.conexclop, ${hashOfTree("con.conbin")}, d.description${constraintExtra}`,
           5,
         )},
         0
  from pg_constraint con
  left join pg_description d on d.objoid = con.oid and d.classoid = 'pg_constraint'::regclass
  where con.conrelid >= 16384
  union all
  select t.tgrelid,
         ${rowHash(
           `t.tgname, t.tgfoid, t.tgtype, t.tgenabled, t.tgconstrrelid,
           t.tgconstrindid, t.tgconstraint, t.tgdeferrable, t.tginitdeferred, t.tgattr::int2[], t.tgargs,
           ${hashOfTree("t.tgqual")}, t.tgoldtable, t.tgnewtable, t.tgparentid, d.description`,
           6,
         )},
         0
  from pg_trigger t
  left join pg_description d on d.objoid = t.oid and d.classoid = 'pg_trigger'::regclass
  where not t.tgisinternal
  union all
  select p.polrelid,
         ${rowHash(
           `p.polname, p.polcmd, p.polpermissive, p.polroles::regrole[]::text,
           ${hashOfTree("p.polqual")}, ${hashOfTree("p.polwithcheck")}`,
           7,
         )},
         0
  from pg_policy p
  union all
  select d.objoid, ${rowHash(`d.objsubid, d.description`, 8)}, 0
  from pg_description d where d.classoid = 'pg_class'::regclass and d.objoid >= 16384
  union all
  select i.inhrelid, ${rowHash(`i.inhparent, i.inhseqno`, 9)}, 0 from pg_inherits i
  union all
  select pt.partrelid,
         ${rowHash(
           `pt.partstrat, pt.partattrs::int2[], pt.partclass::oid[],
           pt.partcollation::oid[], ${hashOfTree("pt.partexprs")}`,
           10,
         )},
         0
  from pg_partitioned_table pt
  union all
  -- A sequence's settings and the column it is owned by (one index probe each: limit 1 keeps
  -- the planner from scanning all of pg_depend instead). An identity sequence's settings are its
  -- column's identity options: they count for the column's table.
  select case when dep.deptype = 'i' then dep.refobjid else s.seqrelid end,
         ${rowHash(
           `s.seqtypid, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache,
           s.seqcycle, dep.refobjid, dep.refobjsubid, dep.deptype`,
           11,
         )},
         0
  from pg_sequence s
  left join lateral (
    select dep.refobjid, dep.refobjsubid, dep.deptype from pg_depend dep
    where dep.classid = 'pg_class'::regclass and dep.objid = s.seqrelid and dep.objsubid = 0
      and dep.refclassid = 'pg_class'::regclass and dep.deptype in ('a', 'i')
    limit 1) dep on true
  union all
  select s.stxrelid,
         ${rowHash(
           `s.stxname, s.stxnamespace, s.stxkind, s.stxkeys::int2[],
           ${major >= 14 ? hashOfTree("s.stxexprs") : "null"}, s.stxstattarget, d.description`,
           13,
         )},
         0
  from pg_statistic_ext s
  left join pg_description d on d.objoid = s.oid and d.classoid = 'pg_statistic_ext'::regclass
  union all
  -- Views' _RETURN rules and every other rule (CREATE RULE), with its event, state and comment.
  select r.ev_class,
         ${rowHash(
           `r.rulename, r.ev_type, r.ev_enabled, r.is_instead, ${hashOfTree("r.ev_qual")},
           ${hashOfTree("r.ev_action")}, d.description`,
           12,
         )},
         0
  from pg_rewrite r
  left join pg_description d on d.objoid = r.oid and d.classoid = 'pg_rewrite'::regclass
  where r.ev_class >= 16384
  union all
  -- The server by name: a renamed server keeps its OID.
  select ft.ftrelid, ${rowHash(`fs.srvname, ft.ftoptions`, 14)}, 0
  from pg_foreign_table ft join pg_foreign_server fs on fs.oid = ft.ftserver),
by_relation as (
  select rel, ${combine("h")} as h, ${combine("name_hash")} as name_hash from rows_hashed group by rel)
-- One line per relation (fingerprints.ts, parseFingerprintLines): OID, row type, its array type
-- (0 for none), the fingerprint, and the hash of what other objects' definitions print of it
-- (its name and its columns' names: a change there is a rename).
select string_agg(concat_ws(' ', c.oid, c.reltype, coalesce(rt.typarray, 0), h.h,
                            ${rowHash(`c.relname, c.nspname, h.name_hash`, 0)}), E'\\n') as lines
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
// (seeds.ts), each followed separately. For each: the seeds that are relations, every
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
