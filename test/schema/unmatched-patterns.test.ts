// A database include/exclude pattern that matches nothing in the baseline nor the target is reported: a typo in
// `schemas` otherwise reads nothing on every side and the audit passes with nothing compared.
import { describe, expect, it } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { introspectDatabase } from "../../audit/schema/introspect.ts";
import { globToPostgresRegex } from "../../audit/schema/unmatched-patterns.ts";
import { tempDirWith } from "../audit/support/files.ts";
import { createTestDatabase, testedMajors } from "../support/databases.ts";

const SCHEMA = `
create schema shop;
create table shop.orders (id bigint primary key, email text, constraint orders_email_check check (email <> ''));
create index orders_email_idx on shop.orders (email);
create function shop.total() returns int language sql as 'select 1';
create schema legacy;
create table legacy.old_orders (id int);
`;

describe.each(testedMajors())("unmatched include/exclude patterns on PostgreSQL %i", (major) => {
  it("names each pattern that matches nothing, and none that match", async () => {
    const database = await createTestDatabase(major, SCHEMA);
    const snapshot = await introspectDatabase(database.url, {
      schemas: ["shopp", "shop", "leg*"],
      excludeSchemas: ["archive_*"],
      includeObjects: [
        "shop.orders",
        "shop.orders.email",
        "shop.orders.orders_email_idx",
        "shop.orders.orders_email_check",
        "shop.total",
        "shop.order",
        "shop.orders.e?ail",
      ],
      excludeObjects: ["legacy.old_orders", "shop.orders.(email)"],
    });
    expect(snapshot.unmatchedPatterns).toEqual([
      { field: "schemas", index: 0, pattern: "shopp" },
      { field: "excludeSchemas", index: 0, pattern: "archive_*" },
      { field: "includeObjects", index: 5, pattern: "shop.order" },
      { field: "excludeObjects", index: 1, pattern: "shop.orders.(email)" },
    ]);
    // Without patterns nothing is asked, and nothing is reported.
    expect((await introspectDatabase(database.url)).unmatchedPatterns).toBeUndefined();
  });

  it("reports a typo'd schema list once, as an error, through parity audit with two targets", async () => {
    const [production, staging, preview] = await Promise.all(
      [0, 1, 2].map(() => createTestDatabase(major, SCHEMA)),
    );
    const cwd = await tempDirWith({
      "parity.config.yaml": `
baseline: production
defaults:
  database: { schemas: [shopp], excludeSchemas: [legacy] }
environments:
  production: { database: { url: "\${P}" } }
  staging: { database: { url: "\${S}" } }
  preview: { database: { url: "\${V}" } }
`,
    });
    const { result, exitCode } = await auditCommand({
      cwd,
      registry: defaultRegistry,
      reporters: ["json=report.json"],
      variables: { P: production?.url, S: staging?.url, V: preview?.url },
    });
    const unmatched = result.findings.filter((finding) => finding.ruleId === "schema/pattern-unmatched");
    expect(unmatched.map((finding) => [finding.severity, finding.location.object])).toEqual([
      ["error", "database.schemas[0]"],
    ]);
    expect(unmatched[0]?.location.environment).toBe("production");
    expect(unmatched[0]?.message).toContain('"shopp" matches nothing in production');
    expect(exitCode).toBe(1);
  });
});

describe.each(testedMajors())("a pattern that matches on one side only, on PostgreSQL %i", (major) => {
  it("is doing its job: an exclude for a staging-only schema is not reported", async () => {
    const [production, staging] = await Promise.all([
      createTestDatabase(major, SCHEMA),
      createTestDatabase(major, `${SCHEMA}\ncreate schema scratch; create table scratch.tmp (id int);`),
    ]);
    const cwd = await tempDirWith({
      "parity.config.yaml": `
baseline: production
defaults:
  database: { excludeSchemas: [scratch, archive_*] }
environments:
  production: { database: { url: "\${P}" } }
  staging: { database: { url: "\${S}" } }
`,
    });
    const { result } = await auditCommand({
      cwd,
      registry: defaultRegistry,
      reporters: ["json=report.json"],
      variables: { P: production?.url, S: staging?.url },
    });
    // scratch matches in staging (and hides it): not reported; archive_* matches nowhere: reported.
    expect(
      result.findings
        .filter((finding) => finding.ruleId === "schema/pattern-unmatched")
        .map((finding) => [finding.severity, finding.location.object]),
    ).toEqual([["warning", "database.excludeSchemas[1]"]]);
    expect(result.findings.filter((finding) => finding.location.object.startsWith("scratch"))).toEqual([]);
  });
});

describe("globToPostgresRegex", () => {
  it.each([
    ["public.orders_*", "^public\\.orders_.*$"],
    ["a?c", "^a.c$"],
    ["x(1)[2]{3}|$^+\\", "^x\\(1\\)\\[2\\]\\{3\\}\\|\\$\\^\\+\\\\$"],
  ])("%s → %s", (glob, regex) => {
    expect(globToPostgresRegex(glob)).toBe(regex);
  });
});
