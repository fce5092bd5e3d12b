// The one-pass rewrite (audit/masking/rewrite.ts) on real PostgreSQL: a table nothing else depends on
// is masked by ALTER TABLE … USING, a table under a view by the batched UPDATE, and the two agree on
// every input (joins across them keep their counts); the rewritten table keeps its exact schema
// (indexes, constraints, collation, default, storage), its files and statistics hold no original, and
// a masked value its CHECK refuses rolls the whole run back.
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
  create view lead_view as select email, phone from leads;
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

async function contactsFilesHolding(url: string, needle: string): Promise<string[]> {
  await query(url, "checkpoint");
  const rows = await query<{ relation: string }>(
    url,
    `select oid::regclass::text as relation from pg_class
      where (oid = 'contacts'::regclass or oid in (select indexrelid from pg_index where indrelid = 'contacts'::regclass)
             or oid = 'pg_catalog.pg_statistic'::regclass)
        and position(convert_to($1, 'UTF8') in pg_read_binary_file(pg_relation_filepath(oid))) > 0`,
    [needle],
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
});
