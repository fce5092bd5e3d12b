// Columns that copy masked originals (audit/masking/copies.ts): a trigger-fed search column, an
// application-written display string and a jsonb document carrying the email would keep every
// original after masking. The run is refused before anything is written, naming each copy, the
// masked column it copies and the table's triggers; with rules for the copies (or a safe mark) it
// masks, and no original is left in any column of the table.
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { maskDatabase, parseMaskingRules } from "../../audit/masking/index.ts";
import { readMarker } from "../../audit/masking/marker.ts";
import { checkMaskingRules } from "../../audit/masking/mask-database.ts";
import { createTestDatabase, query } from "../support/databases.ts";
import { KEY } from "./fixtures.ts";

const SQL = `
  create table users (
    id int primary key,
    full_name text,
    email text not null,
    search_text text,
    display varchar(200),
    contact jsonb,
    tags text[],
    status text not null default 'active',
    notes text
  );
  create function users_search() returns trigger language plpgsql as $fn$
    begin new.search_text := lower(new.full_name) || ' ' || lower(new.email); return new; end $fn$;
  create trigger users_search before insert or update on users for each row execute function users_search();
  insert into users (id, full_name, email, display, contact, tags, notes)
    select i, 'Alicename Person' || i, 'Alice.Person' || i || '@Example.com',
           'Alicename Person' || i || ' <Alice.Person' || i || '@Example.com>',
           jsonb_build_object('email', 'alice.person' || i || '@example.com', 'newsletter', true),
           array['vip', 'region-' || (i % 3)],
           case when i = 1 then 'wrote from Alice.Person1@Example.com' else 'no notes' end
      from generate_series(1, 400) i;
`;

const rules = (extra = "") =>
  parseMaskingRules(
    `tables:\n  users:\n    full_name: name\n    email: email\n${extra}`,
    "/config/masking.yaml",
  );

describe.each([13, 15] as const)("copies of masked values on PostgreSQL %i", (major) => {
  it("refuses a run that would leave copies of the originals, naming them, before writing anything", async () => {
    const database = await createTestDatabase(major, SQL);
    const before = await query(database.url, "select * from users order by id");
    const error = await maskDatabase({ databaseUrl: database.url, rules: rules(), key: KEY }).catch((e) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    const problems: string[] = error.problems;
    const copied = problems.map((problem) =>
      problem
        .match(/users\.(\w+): holds the original values of masked column (\w+)/)
        ?.slice(1)
        .join(" ← "),
    );
    expect(copied.sort()).toEqual([
      "contact ← email",
      "display ← email",
      "display ← full_name",
      "search_text ← email",
      "search_text ← full_name",
    ]);
    expect(problems[0]).toMatch(/^\/config\/masking\.yaml: tables\.public\.users\./);
    expect(problems.join("\n")).toMatch(
      /in 400 of 400 sampled rows; triggers on the table that may fill it: users_search/,
    );
    // tags, status and a note that names one email (1 row of 400) are not copies.
    expect(problems.join("\n")).not.toMatch(/users\.(tags|status|notes):/);
    expect(await query(database.url, "select * from users order by id")).toEqual(before);
    expect(await withClient(database.url, readMarker)).toBeNull();

    const checked = await checkMaskingRules(database.url, rules()).catch((e) => e);
    expect(checked).toBeInstanceOf(ParityInputError);
    expect(checked.problems).toEqual(problems);
  });

  it("masks once the copies have rules, or are marked safe, and leaves no original in the table", async () => {
    const database = await createTestDatabase(major, SQL);
    const withRules = rules("    search_text: redact\n    display: name\n    contact: null\n");
    await maskDatabase({ databaseUrl: database.url, rules: withRules, key: KEY });
    const [leaks] = await query(
      database.url,
      "select count(*) filter (where lower(u::text) like '%alice%') as leaks, count(*) as n from users u",
    );
    expect(leaks).toEqual({ leaks: "1", n: "400" });
    // The one left is the free-text note, which is coverage's business, not a copy.
    const [note] = await query(
      database.url,
      "select notes from users where lower(users::text) like '%alice%'",
    );
    expect(note).toEqual({ notes: "wrote from Alice.Person1@Example.com" });

    const other = await createTestDatabase(major, SQL);
    const safe = rules(
      "    search_text: redact\n    display: redact\n    contact: { safe: newsletter flag and a work address }\n",
    );
    const report = await maskDatabase({ databaseUrl: other.url, rules: safe, key: KEY });
    expect(report.rows).toBe(400);
  });

  it("does not cry wolf: shared placeholders, other collations and wide tables", async () => {
    const database = await createTestDatabase(
      major,
      `create table leads (id int primary key, phone text collate "C", fax text collate "POSIX", label text collate "POSIX",
                           ${Array.from({ length: 30 }, (_, k) => `t${k} text`).join(", ")});
       insert into leads select i, 'unknown', 'unknown', 'Lead ' || i,
                                ${Array.from({ length: 30 }, (_, k) => `'x${k}:' || i`).join(", ")}
         from generate_series(1, 200) i;`,
    );
    const columns = Array.from({ length: 15 }, (_, k) => `    t${k}: redact\n`).join("");
    const leads = parseMaskingRules(
      `tables:\n  leads:\n    phone: phone\n${columns}`,
      "/config/masking.yaml",
    );
    // 16 masked text columns × 17 others: 272 pairs, and the label column's different collation.
    const report = await maskDatabase({ databaseUrl: database.url, rules: leads, key: KEY });
    expect(report.rows).toBe(200);
  });
});
