import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { maskingDigestHex } from "../../audit/masking/hmac-key.ts";
import { maskDatabase, parseMaskingRules } from "../../audit/masking/index.ts";
import { MASKING_ALGORITHM, rulesDigest } from "../../audit/masking/marker.ts";
import { createTestDatabase, query } from "../support/databases.ts";
import { copyOf, KEY, SHOP_RULES, SHOP_SQL, snapshotRows } from "./fixtures.ts";

describe.each([13, 15] as const)("maskDatabase on PostgreSQL %i", (major) => {
  it("masks two clones of the same database identically, and differently with another key", async () => {
    const source = await createTestDatabase(major, SHOP_SQL);
    const [a, b, c] = [await copyOf(source), await copyOf(source), await copyOf(source)];
    await maskDatabase({ databaseUrl: a.url, rules: SHOP_RULES, key: KEY, batchSize: 128 });
    await maskDatabase({ databaseUrl: b.url, rules: SHOP_RULES, key: Buffer.from(KEY), batchSize: 1000 });
    await maskDatabase({ databaseUrl: c.url, rules: SHOP_RULES, key: `${KEY}-rotated` });

    const [original, maskedA, maskedB, maskedC] = await Promise.all(
      [source, a, b, c].map((database) => snapshotRows(database.url)),
    );
    expect(maskedA).toEqual(maskedB);
    expect(maskedA?.customers).not.toEqual(original?.customers);
    expect(maskedC?.customers).not.toEqual(maskedA?.customers);
    // Tables without rules are untouched.
    expect(maskedA?.tenants).toEqual(original?.tenants);
  });

  it("computes a real HMAC-SHA256 of each value exactly once, however small the batches", async () => {
    const database = await createTestDatabase(major, SHOP_SQL);
    const original = await query<{ email: string }>(
      database.url,
      "select email from customers order by email",
    );
    await maskDatabase({ databaseUrl: database.url, rules: SHOP_RULES, key: KEY, batchSize: 7 });
    const masked = await query<{ email: string }>(database.url, "select email from customers order by email");
    const expected = original.map(
      (row) => `${maskingDigestHex(KEY, row.email.toLowerCase()).slice(0, 16)}@example.com`,
    );
    expect(masked.map((row) => row.email)).toEqual(expected.sort());
  });

  it("keeps unique columns unique and every foreign key (composite and cross-table) consistent", async () => {
    const database = await createTestDatabase(major, SHOP_SQL);
    const report = await maskDatabase({
      databaseUrl: database.url,
      rules: SHOP_RULES,
      key: KEY,
      batchSize: 97,
    });

    const [counts] = await query<Record<string, string>>(
      database.url,
      `select count(*) as rows, count(distinct phone) as phones, count(distinct (tenant_id, email)) as keys,
              count(*) filter (where phone ~ '^\\+[0-9]{2} [0-9]{2} [0-9]{4} [0-9]+$'
                                 and phone not like '+44 20 7946 %') as masked_phones,
              count(*) filter (where notes ~ '^\\[redacted [0-9a-f]{16}\\]$') as redacted,
              count(distinct street) as streets
         from customers`,
    );
    expect(counts).toMatchObject({
      rows: "1000",
      phones: "1000",
      keys: "1000",
      masked_phones: "1000",
      redacted: "1000",
    });
    expect(Number(counts?.streets)).toBeGreaterThan(500);

    const dangling = await query<Record<string, string>>(
      database.url,
      `select
         (select count(*) from orders o where not exists
            (select 1 from customers c where c.tenant_id = o.tenant_id and c.email = o.customer_email)) as orders,
         (select count(*) from sessions s where not exists (select 1 from accounts a where a.login = s.login)) as sessions,
         (select count(*) from customers c where not exists (select 1 from accounts a where a.login = c.account_login)) as customers,
         (select count(*) from orders where customer_email like '%corp.example') as unmasked_orders,
         (select count(*) from sessions where login like '%corp.example') as unmasked_sessions`,
    );
    expect(dangling[0]).toEqual({
      orders: "0",
      sessions: "0",
      customers: "0",
      unmasked_orders: "0",
      unmasked_sessions: "0",
    });

    // The same address in two tenants (and in the events partitions) masks to the same value.
    const [same] = await query<{ n: string }>(
      database.url,
      `select count(*) as n from events e join customers c on c.email = e.actor_email and c.tenant_id = 1`,
    );
    expect(Number(same?.n)).toBeGreaterThan(0);

    const columns = report.tables.flatMap((table) =>
      table.columns.map(
        (column) => `${table.schema}.${table.table}.${column.column}<-${column.followsForeignKeyFrom ?? ""}`,
      ),
    );
    expect(columns).toEqual(
      expect.arrayContaining([
        "public.orders.customer_email<-public.customers.email",
        "public.sessions.login<-public.accounts.login",
        "public.customers.account_login<-public.accounts.login",
      ]),
    );
    expect(report.verifiedForeignKeys).toEqual(
      expect.arrayContaining([
        "public.orders.orders_tenant_id_customer_email_fkey",
        "public.sessions.sessions_login_fkey",
      ]),
    );
    expect(report.rows).toBe(300 + 1000 + 2000 + 600 + 800);
    expect(report.tables.find((table) => table.table === "events")?.rows).toBe(800);
  });

  it("rolls back every table when a statement fails half way through", async () => {
    // orders is rewritten after accounts and customers; its check constraint fails once the
    // rewrite reaches order 1500, several batches in.
    const database = await createTestDatabase(
      major,
      `${SHOP_SQL}
       alter table orders add constraint unmasked_after_1500 check (id < 1500 or customer_email like '%corp.example');`,
    );
    const before = await snapshotRows(database.url);
    const failure = maskDatabase({ databaseUrl: database.url, rules: SHOP_RULES, key: KEY, batchSize: 100 });
    await expect(failure).rejects.toThrow(ParityInputError);
    await expect(failure).rejects.toThrow(/check constraint.*unmasked_after_1500.*rolled back/s);
    expect(await snapshotRows(database.url)).toEqual(before);
  });

  it("validates every rule against the database before changing anything", async () => {
    const database = await createTestDatabase(major, SHOP_SQL);
    const before = await snapshotRows(database.url);
    const rules = parseMaskingRules(
      `tables:
         customers: { email: email, shoe_size: name, status: null }
         missing_table: { x: email }
         tenants: { id: phone }
         orders: { customer_email: keep, total: { fixed: "not a number" } }
         accounts: { login: { fixed: same@example.com } }`,
      "/config/masking.yaml",
    );
    const error = await maskDatabase({ databaseUrl: database.url, rules, key: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    const problems = (error as ParityInputError).problems.join("\n");
    expect(problems).toContain("tables.public.customers.shoe_size: no such column");
    expect(problems).toContain("tables.public.missing_table: no such table");
    expect(problems).toContain("tables.public.customers.status: is NOT NULL");
    expect(problems).toContain("tables.public.tenants.id: has type integer");
    expect(problems).toMatch(
      /tied by foreign keys.*public\.customers\.email is email, public\.orders\.customer_email is keep/,
    );
    expect(problems).toMatch(/tables\.public\.accounts\.login: is unique/);
    expect(await snapshotRows(database.url)).toEqual(before);
  });

  it("reports a fixed value that does not fit its column", async () => {
    const database = await createTestDatabase(major, SHOP_SQL);
    const rules = parseMaskingRules(
      `tables: { orders: { total: { fixed: "lots" } } }`,
      "/config/masking.yaml",
    );
    await expect(maskDatabase({ databaseUrl: database.url, rules, key: KEY })).rejects.toThrow(
      /tables\.public\.orders\.total: fixed value "lots" is not a valid numeric/,
    );
  });
});

describe("maskDatabase key handling", () => {
  it("refuses a missing or short key before connecting", async () => {
    const rules = SHOP_RULES;
    await expect(
      maskDatabase({ databaseUrl: "postgres://nowhere.invalid/db", rules, key: "" }),
    ).rejects.toThrow(/no masking key: set PARITY_MASKING_KEY/);
    await expect(
      maskDatabase({ databaseUrl: "postgres://nowhere.invalid/db", rules, key: "short" }),
    ).rejects.toThrow(/at least 16 random bytes/);
  });
});

describe("maskDatabase column forms", () => {
  it("refuses a unique name column with the numbers, fits a unique varchar(28) login, follows a self-reference", async () => {
    const database = await createTestDatabase(
      15,
      `create table staff (
         login varchar(28) primary key,
         display_name text unique,
         home text,
         manager_login varchar(28) references staff (login),
         nickname text,
         bio text
       );
       insert into staff values ('boss', 'The Boss', '1 Main St', null, 'b', null);
       insert into staff select 'u' || i, 'Person ' || i, i || ' Side St', 'boss', null, 'likes ' || i
         from generate_series(1, 3000) i;`,
    );
    const refused = parseMaskingRules(
      "tables:\n  staff:\n    login: email\n    display_name: name\n",
      "/config/masking.yaml",
    );
    const error = await maskDatabase({ databaseUrl: database.url, rules: refused, key: KEY }).catch((e) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems.join("\n")).toMatch(
      /tables\.public\.staff\.display_name: is unique with 3,001 rows, but the name transformer has 25\.0 bits of distinct output: a collision has a 12\.6% chance \(limit 1 in a million\)/,
    );
    await query(database.url, "alter table staff alter column login type varchar(20)");
    const narrow = await maskDatabase({ databaseUrl: database.url, rules: refused, key: KEY }).catch(
      (e) => e,
    );
    expect((narrow as ParityInputError).problems.join("\n")).toContain(
      "tables.public.staff.login: is unique with 3,001 rows, but the email transformer has 32.0 bits of distinct output in character varying(20): a collision has a 1 in 955 chance",
    );
    await query(database.url, "alter table staff alter column login type varchar(28)");

    const rules = parseMaskingRules(
      "tables:\n  staff:\n    login: email\n    display_name: redact\n    home: address\n    nickname: name\n    bio: null\n",
      "/config/masking.yaml",
    );
    const report = await maskDatabase({ databaseUrl: database.url, rules, key: KEY, batchSize: 500 });
    const [stats] = await query<Record<string, string>>(
      database.url,
      `select count(*) as n, count(distinct display_name) as names, count(distinct login) as logins,
              max(length(login)) as login_length, count(*) filter (where login !~ '^[0-9a-f]{16}@example.com$') as odd_logins,
              count(bio) as bios, count(nickname) as nicknames,
              count(*) filter (where manager_login is not null
                                 and manager_login not in (select login from staff)) as dangling
         from staff`,
    );
    expect(stats).toEqual({
      n: "3001",
      names: "3001",
      logins: "3001",
      login_length: 28,
      odd_logins: "0",
      bios: "0",
      nicknames: "1",
      dangling: "0",
    });
    const [boss] = await query<{ nickname: string }>(
      database.url,
      "select nickname from staff where manager_login is null",
    );
    expect(boss?.nickname).toMatch(/^[A-Z][a-z]+ [A-Z][a-zö]+$/);
    const staff = report.tables.find((table) => table.table === "staff");
    expect(staff?.columns.find((column) => column.column === "manager_login")?.followsForeignKeyFrom).toBe(
      "public.staff.login",
    );
  });
});

describe("maskDatabase preconditions and rule propagation", () => {
  it("refuses clearly when the user may not set session_replication_role, changing nothing", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const role = `masker_${database.name}`;
    await query(
      database.url,
      `create role ${role} login; grant all on all tables in schema public to ${role}`,
    );
    try {
      const url = new URL(database.url);
      url.username = role;
      await expect(
        maskDatabase({ databaseUrl: url.toString(), rules: SHOP_RULES, key: KEY }),
      ).rejects.toThrow(/masking needs a superuser \(rds_superuser on RDS\) to set session_replication_role/);
    } finally {
      await query(database.url, `drop owned by ${role}; drop role ${role}`);
    }
  });

  it("applies a rule written on a referencing column to the key it references, and to the key's other references", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const rules = parseMaskingRules("tables:\n  sessions:\n    login: email\n", "/config/masking.yaml");
    const report = await maskDatabase({ databaseUrl: database.url, rules, key: KEY });
    const follows = report.tables.flatMap((table) =>
      table.columns.map((column) => [`${table.table}.${column.column}`, column.followsForeignKeyFrom]),
    );
    expect(follows).toEqual([
      ["accounts.login", "public.sessions.login"],
      ["customers.account_login", "public.sessions.login"],
      ["sessions.login", undefined],
    ]);
    const [row] = await query<{ n: string }>(
      database.url,
      "select count(*) as n from accounts where login = $1",
      [`${maskingDigestHex(KEY, "login1@corp.example").slice(0, 16)}@example.com`],
    );
    expect(row?.n).toBe("1");
  });
});

describe("maskDatabase collisions", () => {
  it("reports masked values that collide in a unique index and rolls back", async () => {
    // A unique index on an email's first character: 36 rows with distinct initials (A–Z, 0–9), and
    // masked emails start with one of 16 hex digits, so the masked values must collide (pigeonhole).
    // The plan cannot see it (64 bits of output for 36 rows); the index does, and nothing is kept.
    const database = await createTestDatabase(
      15,
      `create table people (id int primary key, email text);
       create unique index people_initial on people (left(email, 1));
       insert into people
         select i, substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', i, 1) || 'name@x.example' from generate_series(1, 36) i;`,
    );
    const before = await query(database.url, "select * from people order by id");
    const rules = parseMaskingRules("tables:\n  people:\n    email: email\n", "/config/masking.yaml");
    const failure = maskDatabase({ databaseUrl: database.url, rules, key: KEY });
    await expect(failure).rejects.toThrow(
      /masked values collide in a unique index \(table people, constraint people_initial\).*rolled back/s,
    );
    expect(await query(database.url, "select * from people order by id")).toEqual(before);
  });
});

describe("maskDatabase across masking algorithm versions", () => {
  it("refuses a clone masked by algorithm 1 instead of mixing outputs, even for only new rules", async () => {
    const database = await createTestDatabase(15, SHOP_SQL);
    const first = await maskDatabase({ databaseUrl: database.url, rules: SHOP_RULES, key: KEY });
    expect(first.marker.algorithm).toBe(MASKING_ALGORITHM);
    expect(first.marker.rulesDigest).toBe(rulesDigest(first.marker.columns));
    // The algorithm is in the digest: the same rules under algorithm 1 digest differently.
    expect(rulesDigest(first.marker.columns, 1)).not.toBe(first.marker.rulesDigest);

    // What a clone masked by the earlier release records: no algorithm field, its own digest.
    const { algorithm: _two, ...older } = first.marker;
    const legacy = { ...older, rulesDigest: rulesDigest(first.marker.columns, 1) };
    const [{ name } = { name: "" }] = await query<{ name: string }>(
      database.url,
      "select current_database() as name",
    );
    await query(
      database.url,
      `do $$ begin execute format('comment on database %I is %L', '${name}', $c$parity-masked ${JSON.stringify(legacy)}$c$); end $$`,
    );
    const rows = await snapshotRows(database.url);
    for (const onlyNewRules of [false, true]) {
      const error = await maskDatabase({
        databaseUrl: database.url,
        rules: SHOP_RULES,
        key: KEY,
        onlyNewRules,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(ParityInputError);
      expect(error.message).toMatch(
        /masked at .* with masking algorithm 1, and this parity masks with algorithm 2 .*Re-clone from the source instead/,
      );
    }
    expect(await snapshotRows(database.url)).toEqual(rows);
  });
});
