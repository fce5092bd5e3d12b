import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { loadMaskingRules, parseMaskingRules } from "../../audit/masking/index.ts";

const FILE = "/config/masking.yaml";

function problemsOf(text: string): string[] {
  try {
    parseMaskingRules(text, FILE);
  } catch (error) {
    if (error instanceof ParityInputError) return [...error.problems];
    throw error;
  }
  throw new Error("expected the rules to be rejected");
}

describe("masking rules file", () => {
  it("normalizes every rule form, defaulting the schema to public", () => {
    const rules = parseMaskingRules(
      `
version: 1
tables:
  customers:
    email: email
    full_name: name
    phone: phone
    street: address
    notes: redact
    fax: null
    pager: "null"
    status: { fixed: active }
    vip: { fixed: true }
    country: keep
    region: { keep: "coarse enough, see review 12" }
    email_verified: { safe: "boolean flag" }
  billing.invoices:
    payer_email: email
`,
      FILE,
    );
    expect(rules).toEqual({
      file: FILE,
      tables: [
        {
          schema: "public",
          table: "customers",
          columns: {
            email: { transform: "email" },
            full_name: { transform: "name" },
            phone: { transform: "phone" },
            street: { transform: "address" },
            notes: { transform: "redact" },
            fax: { transform: "null" },
            pager: { transform: "null" },
            status: { transform: "fixed", value: "active" },
            vip: { transform: "fixed", value: "true" },
            country: { transform: "keep" },
            region: { transform: "keep", reason: "coarse enough, see review 12" },
            email_verified: { transform: "safe", reason: "boolean flag" },
          },
        },
        { schema: "billing", table: "invoices", columns: { payer_email: { transform: "email" } } },
      ],
    });
  });

  it("rejects an empty file rather than masking nothing", () => {
    expect(problemsOf("")).toEqual([`${FILE}: tables: expected a map of \`schema.table\`: { column: rule }`]);
    expect(parseMaskingRules("tables: {}", FILE)).toEqual({ file: FILE, tables: [] });
  });

  it.each([
    [
      "tables:\n  customers:\n    email: emial\n",
      "tables.customers.email: expected one of email, email-case-sensitive, name",
    ],
    [
      "tables:\n  customers:\n    note: { safe: '' }\n",
      "tables.customers.note.safe: a reviewed-safe mark needs a reason",
    ],
    ["tables:\n  customers:\n    x: { fixed: 1, keep: a }\n", "tables.customers.x: expected one of"],
    ["tables:\n  a.b.c:\n    x: keep\n", "tables.a.b.c: table keys are `table` or `schema.table`"],
    ["tables:\n  orders: 5\n", "tables.orders: expected a map of column: rule"],
    ["tables: []\n", "tables: expected a map of `schema.table`"],
    ["version: 2\ntables: {}\n", "version: expected 1"],
    ["tables: {}\nkey: s3cret\n", '(top level): Unrecognized key: "key"'],
    [
      "tables:\n  customers: { a: email }\n  public.customers: { b: email }\n",
      "tables.public.customers: same table as tables.customers",
    ],
  ])("rejects %j naming the file and path", (text, expected) => {
    expect(problemsOf(text).join("\n")).toContain(`${FILE}: ${expected}`);
  });

  it("collects every problem before failing", () => {
    expect(problemsOf("tables:\n  t:\n    a: x\n    b: y\n    c: email\n")).toHaveLength(2);
  });

  it("rejects a file that is not YAML, or missing", async () => {
    expect(problemsOf("tables: [\n")[0]).toMatch(/^\/config\/masking\.yaml: /);
    const dir = await mkdtemp(join(tmpdir(), "parity-rules-"));
    await expect(loadMaskingRules(join(dir, "nope.yaml"))).rejects.toThrow(
      /nope\.yaml: cannot read masking rules: file not found/,
    );
    await writeFile(join(dir, "ok.yaml"), "tables: { t: { c: email } }\n");
    expect((await loadMaskingRules(join(dir, "ok.yaml"))).file).toBe(join(dir, "ok.yaml"));
  });
});
