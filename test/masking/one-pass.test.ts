// The one-pass rewrite (audit/masking/rewrite.ts) on real PostgreSQL: a table nothing else depends on
// is masked by ALTER TABLE … USING, a table under a policy by the batched UPDATE, and the two agree on
// every input (joins across them keep their counts); the rewritten table keeps its exact schema
// (indexes, constraints, collation, default, storage), its files and statistics hold no original, and
// a masked value its CHECK refuses rolls the whole run back. Views over masked columns are set aside
// for the rewrite and come back exactly (definition, options, comments, grants, defaults, triggers,
// dependencies); a view that cannot be set aside sends its table down the batched UPDATE instead.
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { maskDatabase, parseMaskingRules } from "../../audit/masking/index.ts";
import { createTestDatabase, query } from "../support/databases.ts";
import { KEY } from "./fixtures.ts";

const SQL = `
  create table contacts (
    id int primary key,
    email text not null,
    full_name text collate "C",
    phone varchar(20) check (phone ~ '^\\+[0-9 ]+$'),
    note text default 'none'
  );
  create unique index contacts_email on contacts (lower(email));
  create index contacts_phone on contacts (phone) include (full_name);
  comment on index contacts_phone is 'phone lookups';
  create table leads (id int primary key, email text, full_name text, phone text);
  create policy lead_policy on leads using (email is not null and phone is not null);
  insert into contacts (id, email, full_name, phone)
    select i, 'Alicename.Person' || i || '@Example.com', 'Alicename Person' || i, '+44 20 ' || lpad(i::text, 7, '0')
      from generate_series(1, 2000) i;
  insert into leads select id, lower(email), full_name, phone from contacts where id <= 500;
  analyze;
`;

const RULES = parseMaskingRules(
  `tables:
  contacts: { email: email, full_name: name, phone: phone }
  leads: { email: email, full_name: name, phone: phone }
`,
  "/config/masking.yaml",
);

/** What ALTER COLUMN TYPE could change: column types, collations, defaults, storage, indexes, constraints. */
const SCHEMA = `
  select (select json_agg(json_build_object('column', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                 'collation', co.collname, 'default', pg_get_expr(d.adbin, d.adrelid), 'storage', a.attstorage,
                 'notnull', a.attnotnull) order by a.attnum)
            from pg_attribute a left join pg_collation co on co.oid = a.attcollation
            left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
           where a.attrelid = 'contacts'::regclass and a.attnum > 0)::text as columns,
         (select json_agg(json_build_object('def', pg_get_indexdef(i.indexrelid),
                 'comment', obj_description(i.indexrelid, 'pg_class')) order by 1::int)
            from pg_index i where i.indrelid = 'contacts'::regclass)::text as indexes,
         (select json_agg(c.conname || ': ' || pg_get_constraintdef(c.oid) order by c.conname)
            from pg_constraint c where c.conrelid = 'contacts'::regclass)::text as constraints`;

async function contactsFilesHolding(url: string, needle: string, table = "contacts"): Promise<string[]> {
  await query(url, "checkpoint");
  const rows = await query<{ relation: string }>(
    url,
    `select oid::regclass::text as relation from pg_class
      where (oid = $2::regclass or oid in (select indexrelid from pg_index where indrelid = $2::regclass)
             or oid = 'pg_catalog.pg_statistic'::regclass)
        and position(convert_to($1, 'UTF8') in pg_read_binary_file(pg_relation_filepath(oid))) > 0`,
    [needle, table],
  );
  return rows.map((row) => row.relation).sort();
}

describe.each([13, 15] as const)("one-pass masking on PostgreSQL %i", (major) => {
  it("rewrites a table nothing depends on, agrees with the UPDATE path, keeps the schema, leaves no original", async () => {
    const database = await createTestDatabase(major, SQL);
    const schemaBefore = await query(database.url, SCHEMA);
    const joins = `select (select count(*) from contacts c join leads l on l.phone = c.phone) as phones,
                          (select count(*) from contacts c join leads l on lower(l.email) = lower(c.email)) as emails,
                          (select count(*) from contacts c join leads l on l.full_name = c.full_name) as names`;
    const [joinsBefore] = await query(database.url, joins);
    expect(joinsBefore).toEqual({ phones: "500", emails: "500", names: "500" });
    expect(await contactsFilesHolding(database.url, "Alicename")).toEqual(
      expect.arrayContaining(["contacts", "contacts_phone"]),
    );

    const report = await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY, batchSize: 100 });
    const byTable = new Map(report.tables.map((table) => [table.table, table]));
    expect(byTable.get("contacts")).toMatchObject({ rows: 2000, onePass: true, batches: 1 });
    expect(byTable.get("leads")).toMatchObject({ rows: 500 });
    expect(byTable.get("leads")?.onePass).toBeUndefined();
    expect(report.scrubbed).toEqual(expect.arrayContaining(["public.contacts", "public.leads"]));

    // Both paths compute the same function of (key, value).
    const [joinsAfter] = await query(database.url, joins);
    expect(joinsAfter).toEqual(joinsBefore);
    const [sample] = await query<{ email: string; phone: string; full_name: string }>(
      database.url,
      "select email, phone, full_name from contacts where id = 7",
    );
    expect(sample?.email).toMatch(/^[0-9a-f]{16}@example\.com$/);
    expect(sample?.phone).toMatch(/^\+[0-9]{2} [0-9]{2} [0-9]{7}$/);
    expect(sample?.phone).not.toBe("+44 20 0000007");
    const [distinct] = await query(
      database.url,
      "select count(distinct phone) as phones, count(distinct lower(email)) as emails from contacts",
    );
    expect(distinct).toEqual({ phones: "2000", emails: "2000" });

    expect(await query(database.url, SCHEMA)).toEqual(schemaBefore);
    expect(await contactsFilesHolding(database.url, "Alicename")).toEqual([]);
    expect(await contactsFilesHolding(database.url, "+44 20 0000007")).toEqual([]);
    const stats = await query<{ n: string; leaks: string }>(
      database.url,
      `select count(*) as n, count(*) filter (where coalesce(most_common_vals::text, '') || coalesce(histogram_bounds::text, '') like '%Alicename%') as leaks
         from pg_stats where tablename = 'contacts' and attname in ('email', 'full_name', 'phone')`,
    );
    expect(stats[0]).toEqual({ n: "3", leaks: "0" });
  });

  it("rolls the whole run back when a rewritten value fails a CHECK", async () => {
    const database = await createTestDatabase(
      major,
      `${SQL} alter table contacts add constraint contacts_uk_phone check (phone like '+44 %');`,
    );
    const before = await query(database.url, "select * from contacts order by id");
    const leadsBefore = await query(database.url, "select * from leads order by id");
    const error = await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY }).catch((e) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    expect(String(error.message)).toMatch(/check constraint.*contacts_uk_phone.*rolled back/);
    expect(await query(database.url, "select * from contacts order by id")).toEqual(before);
    expect(await query(database.url, "select * from leads order by id")).toEqual(leadsBefore);
  });

  it("sets views over masked columns aside and brings them back exactly", async () => {
    const database = await createTestDatabase(major, VIEWS_SQL);
    const before = await query(database.url, VIEWS_CATALOG);
    const report = await maskDatabase({ databaseUrl: database.url, rules: MEMBER_RULES, key: KEY });
    expect(report.tables.map((table) => [table.table, table.onePass ?? false])).toEqual([["members", true]]);
    expect(await query(database.url, VIEWS_CATALOG)).toEqual(before);
    // The views read the masked rows, and the view over a view too.
    const [contact] = await query<{ mail: string; phone: string }>(
      database.url,
      "select mail, phone from member_contacts where id = 7",
    );
    expect(contact?.mail).toMatch(/^[0-9a-f]{16}@example\.com$/);
    expect(contact?.phone).toMatch(/^\+[0-9]{2} [0-9]{2} [0-9]{7}$/);
    const [names] = await query<{ leaks: string; n: string }>(
      database.url,
      "select count(*) as n, count(*) filter (where name like 'Membername%') as leaks from member_names",
    );
    expect(names).toEqual({ n: "300", leaks: "0" });
    expect(await contactsFilesHolding(database.url, "Membername", "members")).toEqual([]);
  });

  it("masks in batches when a view over a masked column cannot be set aside, and leaves it exactly as it was", async () => {
    // A DDL guard that refuses CREATE VIEW, enabled ALWAYS so it fires under session_replication_role = replica.
    const database = await createTestDatabase(
      major,
      `${VIEWS_SQL}
       create function no_new_views() returns event_trigger language plpgsql as $fn$
         begin raise exception 'views are frozen'; end $fn$;
       create event trigger no_new_views on ddl_command_start when tag in ('CREATE VIEW') execute function no_new_views();
       alter event trigger no_new_views enable always;`,
    );
    const before = await query(database.url, VIEWS_CATALOG);
    const report = await maskDatabase({ databaseUrl: database.url, rules: MEMBER_RULES, key: KEY });
    expect(report.tables.map((table) => [table.table, table.onePass ?? false])).toEqual([["members", false]]);
    expect(report.tables[0]?.batchedBecause).toMatch(
      /^the views over its masked columns \(public\.member_contacts, public\.member_longest, public\.member_work\) could not be set aside: views are frozen$/,
    );
    expect(await query(database.url, VIEWS_CATALOG)).toEqual(before);
    const [leaks] = await query(
      database.url,
      "select count(*) filter (where full_name like 'Membername%' or email like '%@Example.com') as leaks from members",
    );
    expect(leaks).toEqual({ leaks: "0" });
    expect(await contactsFilesHolding(database.url, "Membername", "members")).toEqual([]);
  });
});

const VIEWS_SQL = `
  create domain member_mail as text not null;
  -- A type outside pg_catalog on a masked column: the rewrite must name it as the session sees it.
  create domain work_mail as varchar(80);
  create table members (id int primary key, email text not null, full_name text collate "C", phone varchar(20),
                        tier text not null default 'basic', work_email work_mail);
  insert into members select i, 'Membername' || i || '@Example.com', 'Membername ' || i, '+44 20 ' || lpad(i::text, 7, '0'), 'basic',
                             'membername' || i || '@work.example'
    from generate_series(1, 300) i;
  create view member_work as select id, work_email from members;
  create view member_contacts with (security_barrier) as
    select id, email::member_mail as mail, full_name, phone from members where tier = 'basic'
    with local check option;
  alter view member_contacts alter column full_name set default 'Someone';
  comment on view member_contacts is 'contacts for support';
  comment on column member_contacts.phone is 'E.164';
  grant select on member_contacts to public;
  create view member_names as select full_name as name, upper(full_name) as shout, count(*) over () as total
    from member_contacts;
  create view member_longest as select max(length(email)) as longest, min(phone) collate "C" as first_phone from members;
  create function member_names_insert() returns trigger language plpgsql as $fn$ begin return null; end $fn$;
  create trigger member_names_insert instead of insert on member_names for each row execute function member_names_insert();
  analyze members;
`;

const MEMBER_RULES = parseMaskingRules(
  "tables:\n  members: { email: email, full_name: name, phone: phone, work_email: email }\n",
  "/config/masking.yaml",
);

/** Everything CREATE OR REPLACE VIEW could change about the views, and their dependencies on the table. */
const VIEWS_CATALOG = `
  select c.oid::regclass::text as view, pg_get_viewdef(c.oid) as definition, c.reloptions::text as options,
         obj_description(c.oid, 'pg_class') as comment, c.relacl::text as acl,
         (select json_agg(json_build_object('column', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                 'collation', a.attcollation, 'comment', col_description(c.oid, a.attnum),
                 'default', pg_get_expr(d.adbin, d.adrelid)) order by a.attnum)
            from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
           where a.attrelid = c.oid and a.attnum > 0)::text as columns,
         (select string_agg(t.tgname, ',' order by t.tgname) from pg_trigger t where t.tgrelid = c.oid) as triggers,
         (select string_agg(distinct d.refobjid::regclass::text || '.' || d.refobjsubid, ',')
            from pg_rewrite r join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
           where r.ev_class = c.oid and d.refobjsubid > 0) as depends_on
    from pg_class c where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace order by c.relname`;
