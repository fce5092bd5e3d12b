// Known answers: every transformer's output for fixed inputs under a fixed key, pinned as a digest of
// all outputs plus a few literal values. The outputs are algorithm 2's (MASKING_ALGORITHM): a faster
// rewrite of a transformer must keep every byte, on both paths (the one-pass ALTER TABLE … USING and
// the batched UPDATE, forced here by a row-level security policy), or bump the algorithm version. The digests were taken
// from the algorithm 2 functions as first released (before the speed work of the mask12 branch).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { maskDatabase, parseMaskingRules } from "../../audit/masking/index.ts";
import { MASKING_ALGORITHM } from "../../audit/masking/marker.ts";
import { createTestDatabase, query } from "../support/databases.ts";
import { KEY } from "./fixtures.ts";

const COLUMNS = `id int primary key, email text, login text, narrow_email varchar(20), full_name text,
  street text, notes text, narrow_note varchar(12), phone text, ssn text, vat text, card text, iban text,
  ip inet, ip_text text, born date, seen timestamptz, shifted date, shifted_at timestamp`;

// Inputs chosen to reach every branch: separators, '%', chr(1), 0, 1, 2, 18, 19 and 36 digits,
// non-ASCII, IBANs with letters in the BBAN, IPv4 and IPv6 with prefixes, leap years.
const INSERT = (table: string) => `
  insert into ${table}
  select i,
         case i % 3 when 0 then 'Person' || i || '@Example.com' when 1 then 'person' || i || '@example.com' else 'Zoë.' || i || '@exämple.org' end,
         'Login' || i,
         'n' || i || '@x.io',
         case i % 4 when 0 then 'Person ' || i when 1 then 'Ana María ' || i when 2 then '' else 'O''Brien ' || i end,
         i || ' Main Street, Springfield',
         repeat('note ', i % 5) || i,
         'nb' || i,
         (array['+44 20 7946 ' || lpad(i::text, 7, '0'), '(555) 010-' || lpad(i::text, 4, '0'), lpad(i::text, 2, '0'),
                (i % 10)::text, 'ext. 1' || i || '%', 'no digits', '', '+1 ' || repeat((i % 10)::text, 18),
                lpad(i::text, 19, '7'), repeat(lpad(i::text, 4, '9'), 9), 'a' || chr(1) || i || '-' || i,
                'tél. 06 ' || lpad(i::text, 8, '1')])[1 + i % 12],
         lpad((i * 7)::text, 3, '0') || '-' || lpad((i % 100)::text, 2, '0') || '-' || lpad(i::text, 4, '0'),
         'DE' || lpad((i * 13)::text, 9, '0'),
         (array['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', '4', '', '12'])[1 + i % 6],
         (array['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432', 'FR14 2004 1010 0505 0001 3M02 606',
                'NL91ABNA0417164300', 'xx', '1234'])[1 + i % 6],
         (array['192.168.' || (i % 250) || '.' || (i % 7) || '/24', '10.0.0.' || (i % 250), '2001:db8::' || to_hex(i) || '/64',
                '::1'])[1 + i % 4]::inet,
         '172.16.0.' || (i % 250),
         date '1980-01-01' + i * 37,
         timestamptz '2024-02-28 23:59:59+00' + i * interval '5 hours 7 minutes',
         date '2000-02-29' + i,
         timestamp '2023-12-31 12:00:00' + i * interval '1 day 1 hour'
    from generate_series(1, 240) i;
  insert into ${table} (id) values (0);`;

const SQL = `
  create table direct (${COLUMNS});
  create table viewed (${COLUMNS});
  create policy viewed_policy on viewed using (email is not null and phone is not null and card is not null and iban is not null);
  ${INSERT("direct")}
  ${INSERT("viewed")}
`;

const RULE_LIST = `{ email: email, login: email-case-sensitive, narrow_email: email, full_name: name,
    street: address, notes: redact, narrow_note: redact, phone: phone, ssn: ssn, vat: digits, card: card,
    iban: iban, ip: ip, ip_text: ip, born: keep-year, seen: keep-year, shifted: { date-shift: 30 },
    shifted_at: { date-shift: 7 } }`;
const RULES = parseMaskingRules(
  `tables:\n  direct: ${RULE_LIST}\n  viewed: ${RULE_LIST}\n`,
  "/config/masking.yaml",
);

const SELECT = (table: string) =>
  `select id, email, login, narrow_email, full_name, street, notes, narrow_note, phone, ssn, vat, card, iban,
          ip::text as ip, ip_text, born::text as born, to_char(seen at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as seen,
          shifted::text as shifted, shifted_at::text as shifted_at
     from ${table} order by id`;

const digest = (rows: unknown[]) => createHash("sha256").update(JSON.stringify(rows)).digest("hex");

describe.each([13, 15] as const)("known answers of the masking algorithm on PostgreSQL %i", (major) => {
  it("keeps every transformer's output byte for byte, on both paths", async () => {
    expect(MASKING_ALGORITHM).toBe(2);
    const database = await createTestDatabase(major, SQL);
    const report = await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY, batchSize: 50 });
    expect(report.tables.map((table) => [table.table, table.onePass ?? false])).toEqual([
      ["direct", true],
      ["viewed", false],
    ]);
    const direct = await query<Record<string, string | number | null>>(database.url, SELECT("direct"));
    const viewed = await query<Record<string, string | number | null>>(database.url, SELECT("viewed"));
    expect(viewed).toEqual(direct);
    // Per column, so a change names the transformer it broke.
    const columns = Object.keys(direct[0] ?? {}).filter((column) => column !== "id");
    const perColumn = Object.fromEntries(
      columns.map((column) => [column, digest(direct.map((row) => row[column] ?? null)).slice(0, 16)]),
    );
    expect(perColumn).toEqual(EXPECTED_DIGESTS);
    expect(direct[1]).toEqual(EXPECTED_ROW_1);
  });
});

const EXPECTED_DIGESTS: Record<string, string> = {
  email: "12f0c360a9639bd4",
  login: "0bab857f4747e99a",
  narrow_email: "40b732a9faafe6d5",
  full_name: "bd47b10024c53f65",
  street: "f75501cbf71534f8",
  notes: "c2e3aad9fedab0fd",
  narrow_note: "b210a64dacbb7566",
  phone: "bb3a51ca4ca5eea4",
  ssn: "2c3d40c3e4be2c6b",
  vat: "3ee089707d9d7e6e",
  card: "d6ff1890a80e63e3",
  iban: "c2429e9b62426512",
  ip: "fc496ad90ef7d7b7",
  ip_text: "5172b1060a0bcf50",
  born: "1a746585db90e7d6",
  seen: "066e954a65609032",
  shifted: "b0c74e889ca2917b",
  shifted_at: "3b48fb8f0e2241d0",
};
const EXPECTED_ROW_1: Record<string, string | number | null> = {
  id: 1,
  email: "40e24cfe3a022d63@example.com",
  login: "3bb2942391d84fc9@example.com",
  narrow_email: "edf8a6cb@example.com",
  full_name: "Borir Lambise",
  street: "1216 Lake Road, Dover",
  notes: "[redacted 6c944c2b776e7c2f]",
  narrow_note: "03e922c54e1f",
  phone: "(445) 076-6352",
  ssn: "721-27-3647",
  vat: "DE741802103",
  card: "8097-6018-2353-9327",
  iban: "GB48WEST64852439750871",
  ip: "10.153.160.93/32",
  ip_text: "10.242.78.251",
  born: "1980-06-04",
  seen: "2024-05-07 05:06:59",
  shifted: "2000-02-20",
  shifted_at: "2023-12-30 13:00:00",
};
