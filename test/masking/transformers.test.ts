// The format-preserving and date transformers on real PostgreSQL: valid check digits, kept formats,
// narrow unique columns that stay unique, one output per input across tables, case variants of an
// email masking alike, names that stay distinct.
import { describe, expect, it } from "vitest";
import { maskDatabase, parseMaskingRules } from "../../audit/masking/index.ts";
import { createTestDatabase, query } from "../support/databases.ts";
import { KEY } from "./fixtures.ts";

const SQL = `
  create domain ssn_t as character(11) check (value ~ '^[0-9]{3}-[0-9]{2}-[0-9]{4}$');
  create table users (
    id int primary key,
    email text not null,
    phone varchar(20) unique check (phone ~ '^\\+[0-9-]+$'),
    ssn ssn_t not null unique,
    card text,
    iban text,
    born date,
    signed_up timestamptz,
    last_ip inet,
    full_name text
  );
  create table customers (id int primary key, phone text, email text);
  -- Luhn-valid test card numbers and valid IBANs (ISO 13616 examples).
  insert into users
    select i, case when i % 2 = 0 then 'Person' || i || '@Example.com' else 'person' || (i - 1) || '@example.com' end,
           '+1-555-' || lpad(i::text, 7, '0'), lpad(i::text, 3, '0') || '-' || lpad((i % 100)::text, 2, '0') || '-' || lpad(i::text, 4, '0'),
           case i % 3 when 0 then '4111 1111 1111 1111' when 1 then '5500-0000-0000-0004' else '378282246310005' end,
           case i % 2 when 0 then 'DE89 3704 0044 0532 0130 00' else 'GB82WEST12345698765432' end,
           date '1980-01-01' + i, timestamptz '2024-03-01 12:34:56+00' + i * interval '1 hour',
           ('192.168.' || (i / 250) || '.' || (i % 250) || '/24')::inet,
           'Person ' || i
      from generate_series(1, 2000) i;
  insert into customers select i, '+1-555-' || lpad((i * 3)::text, 7, '0'), 'PERSON' || (i * 2) || '@EXAMPLE.COM'
    from generate_series(1, 1000) i;
`;

const RULES = parseMaskingRules(
  `tables:
  users:
    email: email
    phone: phone
    ssn: ssn
    card: card
    iban: iban
    born: keep-year
    signed_up: { date-shift: 30 }
    last_ip: ip
    full_name: name
  customers:
    phone: phone
    email: email
`,
  "/config/masking.yaml",
);

const luhnValid = (value: string) => {
  const digits = value.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
};

const ibanValid = (value: string) => {
  const compact = value.replace(/\s/g, "");
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n === 1n;
};

describe("format-preserving transformers on PostgreSQL 15", () => {
  it("keep formats, check digits, uniqueness, joins and case variants", async () => {
    const database = await createTestDatabase(15, SQL);
    const [joinsBefore] = await query<Record<string, string>>(
      database.url,
      `select (select count(*) from users u join customers c on c.phone = u.phone) as phones,
              (select count(*) from users u join customers c on lower(c.email) = lower(u.email)) as emails,
              (select count(distinct lower(email)) from users) as distinct_emails`,
    );
    const before = await query<Record<string, string>>(database.url, "select * from users order by id");
    await maskDatabase({ databaseUrl: database.url, rules: RULES, key: KEY });
    const after = await query<Record<string, string | Date>>(
      database.url,
      "select *, last_ip::text as ip from users order by id",
    );

    const [joinsAfter] = await query<Record<string, string>>(
      database.url,
      `select (select count(*) from users u join customers c on c.phone = u.phone) as phones,
              (select count(*) from users u join customers c on lower(c.email) = lower(u.email)) as emails,
              (select count(distinct lower(email)) from users) as distinct_emails,
              (select count(distinct phone) from users) as phones_distinct,
              (select count(distinct ssn) from users) as ssns_distinct,
              (select count(distinct full_name) from users) as names_distinct`,
    );
    expect(joinsAfter).toMatchObject({ ...joinsBefore, phones_distinct: "2000", ssns_distinct: "2000" });
    expect(Number(joinsBefore?.phones)).toBeGreaterThan(0);
    expect(Number(joinsAfter?.names_distinct)).toBeGreaterThanOrEqual(1995);

    for (const [i, row] of after.entries()) {
      const original = before[i] as Record<string, string | Date>;
      expect(row.phone).toMatch(/^\+[0-9]-[0-9]{3}-[0-9]{7}$/);
      expect(row.phone).not.toBe(original.phone);
      expect(row.ssn).toMatch(/^[0-9]{3}-[0-9]{2}-[0-9]{4}$/);
      expect(String(row.card).replace(/[0-9]/g, "9")).toBe(String(original.card).replace(/[0-9]/g, "9"));
      expect(luhnValid(String(row.card))).toBe(true);
      expect(row.card).not.toBe(original.card);
      expect(String(row.iban).slice(0, 2)).toBe(String(original.iban).slice(0, 2));
      expect(ibanValid(String(row.iban))).toBe(true);
      expect(row.iban).not.toBe(original.iban);
      expect((row.born as Date).getFullYear()).toBe((original.born as unknown as Date).getFullYear());
      const shiftDays =
        Math.abs((row.signed_up as Date).getTime() - (original.signed_up as unknown as Date).getTime()) /
        86_400_000;
      expect(Number.isInteger(shiftDays) && shiftDays >= 1 && shiftDays <= 30).toBe(true);
      expect(row.ip).toMatch(/^10\.\d+\.\d+\.\d+\/24$/);
    }
  });
});
