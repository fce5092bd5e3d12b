// After a mask no original value of a masked column can be read back by any means a database user
// (here a superuser) has: relation files on disk (heap, TOAST, indexes, the matview, pg_statistic),
// planner statistics, trigger-fed tsvectors, generated columns, materialized views.
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { maskDatabase, parseMaskingRules } from "../../audit/masking/index.ts";
import { parseMarker } from "../../audit/masking/marker.ts";
import { createTestDatabase, query } from "../support/databases.ts";
import { KEY } from "./fixtures.ts";

const SQL = `
  create table people (
    id int primary key,
    email text not null unique,
    full_name text,
    bio text,
    search tsvector,
    email_lower text generated always as (lower(email)) stored
  );
  -- Stored uncompressed, so an original left in TOAST would be readable in the file as is.
  alter table people alter column bio set storage external;
  -- Small histograms stay uncompressed in pg_statistic, so the probe can see them there too.
  alter table people alter column full_name set statistics 5, alter column email set statistics 5;
  create index people_name on people (full_name);
  create index people_email_lower on people (lower(email));
  create trigger people_search before insert or update on people
    for each row execute function tsvector_update_trigger(search, 'pg_catalog.simple', full_name, email);
  create materialized view people_report as select id, email, full_name from people;
  create index people_report_email on people_report (email);
  insert into people (id, email, full_name, bio)
    select i, 'Alicename.Person' || i || '@Example.com', 'Alicename Person' || i,
           repeat('Private biography of Alicename Person' || i || '. ', 80)
      from generate_series(1, 300) i;
  refresh materialized view people_report;
  analyze;
`;

const RULES = parseMaskingRules(
  "tables:\n  people:\n    email: email\n    full_name: name\n    bio: redact\n",
  "/config/masking.yaml",
);

/** Every relation file that could hold a copy: heaps, TOAST, indexes, and pg_statistic (with its TOAST). */
const FILES = `
  with rels as (
    select c.oid from pg_class c
     where c.relname in ('people', 'people_report') and c.relnamespace = 'public'::regnamespace
    union select c.reltoastrelid from pg_class c
     where c.relname in ('people', 'people_report', 'pg_statistic') and c.reltoastrelid <> 0
    union select i.indexrelid from pg_index i join pg_class c on c.oid = i.indrelid
     where c.relname in ('people', 'people_report') or c.oid in
       (select reltoastrelid from pg_class where relname in ('people', 'pg_statistic'))
    union select 'pg_catalog.pg_statistic'::regclass::oid
  )
  select oid::regclass::text as relation, pg_relation_filepath(oid) as path from rels
   where pg_relation_filepath(oid) is not null`;

async function filesHolding(url: string, needle: string): Promise<string[]> {
  await query(url, "checkpoint");
  const rows = await query<{ relation: string; hits: boolean }>(
    url,
    `select relation, position(convert_to($1, 'UTF8') in pg_read_binary_file(path)) > 0
                   or position(convert_to(lower($1), 'UTF8') in pg_read_binary_file(path)) > 0 as hits
       from (${FILES}) f`,
    [needle],
  );
  return rows.filter((row) => row.hits).map((row) => row.relation);
}

describe.each([13, 15] as const)("no original left after masking on PostgreSQL %i", (major) => {
  it("finds no original in relation files, statistics, tsvectors, generated columns or matviews", async () => {
    const database = await createTestDatabase(major, SQL);
    // The probe works: before masking, the originals are in the heap, TOAST, indexes and statistics.
    const before = await filesHolding(database.url, "Alicename");
    expect(before).toEqual(
      expect.arrayContaining(["people", "people_name", "people_report", "pg_statistic"]),
    );
    expect(before.some((relation) => relation.startsWith("pg_toast.pg_toast_"))).toBe(true);

    const report = await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY, batchSize: 50 });
    expect(report.outcome).toBe("masked");
    expect(report.refreshedViews).toEqual(["public.people_report"]);
    expect(report.recomputed).toEqual(["public.people (trigger people_search)"]);
    expect(report.scrubbed).toEqual(expect.arrayContaining(["public.people", "public.people_report"]));

    expect(await filesHolding(database.url, "Alicename")).toEqual([]);
    expect(await filesHolding(database.url, "biography")).toEqual([]);

    const stats = await query<{ row: string }>(
      database.url,
      "select s::text as row from pg_stats s where schemaname = 'public'",
    );
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.filter((row) => /alicename|biography/i.test(row.row))).toEqual([]);

    const [derived] = await query<Record<string, string>>(
      database.url,
      `select count(*) filter (where search::text ~* 'alicename') as stale_vectors,
              count(*) filter (where search = to_tsvector('pg_catalog.simple', coalesce(full_name, '') || ' ' || email)) as fresh_vectors,
              count(*) filter (where email_lower <> lower(email)) as stale_generated,
              (select count(*) from people_report r join people p using (id)
                where r.email = p.email and r.full_name = p.full_name) as matching_report_rows,
              (select count(*) from people_report where email ~* 'example\\.com$' and email !~ '^[0-9a-f]{16}@example\\.com$') as stale_report_rows
         from people`,
    );
    expect(derived).toEqual({
      stale_vectors: "0",
      fresh_vectors: "300",
      stale_generated: "0",
      matching_report_rows: "300",
      stale_report_rows: "0",
    });
  });

  it("records that it is masked; the same key and rules again is a no-op, another key is refused", async () => {
    const database = await createTestDatabase(major, SQL);
    const first = await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY });
    const [{ comment } = { comment: null }] = await query<{ comment: string | null }>(
      database.url,
      "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = current_database()",
    );
    const marker = parseMarker(comment);
    expect(marker).toMatchObject({
      format: 1,
      scrubbed: true,
      rulesDigest: first.marker.rulesDigest,
      keyFingerprint: expect.stringMatching(/^hmac-sha256:[0-9a-f]{16}$/),
      columns: {
        "public.people.bio": "redact",
        "public.people.email": "email",
        "public.people.full_name": "name",
      },
    });
    expect(comment).not.toContain(KEY);
    expect(Date.parse(marker?.maskedAt ?? "")).toBeGreaterThan(Date.now() - 600_000);

    const rows = await query(database.url, "select * from people order by id");
    const again = await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY });
    expect(again.outcome).toBe("already masked");
    expect(again.rows).toBe(0);
    expect(await query(database.url, "select * from people order by id")).toEqual(rows);

    const otherKey = maskDatabase({ databaseUrl: database.url, rules: RULES, key: `${KEY}-other` });
    await expect(otherKey).rejects.toThrow(ParityInputError);
    await expect(otherKey).rejects.toThrow(/already masked .* with another key/);

    const more = parseMaskingRules(
      "tables:\n  people:\n    email: email\n    full_name: name\n    bio: redact\n    search: null\n",
      "/config/masking.yaml",
    );
    await expect(maskDatabase({ databaseUrl: database.url, rules: more, key: KEY })).rejects.toThrow(
      /the rules now add public\.people\.search\. Pass --only-new-rules/,
    );
    const changed = parseMaskingRules(
      "tables:\n  people:\n    email: email\n    full_name: redact\n    bio: redact\n",
      "/config/masking.yaml",
    );
    await expect(maskDatabase({ databaseUrl: database.url, rules: changed, key: KEY })).rejects.toThrow(
      /public\.people\.full_name: was name, now redact/,
    );
    const added = await maskDatabase({
      databaseUrl: database.url,
      rules: more,
      key: KEY,
      onlyNewRules: true,
    });
    expect(added.tables.flatMap((table) => table.columns.map((column) => column.column))).toEqual(["search"]);
    const after = await query<{ email: string; search: string | null }>(
      database.url,
      "select email, search from people order by id",
    );
    expect(after.map((row) => row.email)).toEqual(rows.map((row) => row.email));
    expect(after.every((row) => row.search === null)).toBe(true);
  });
});
