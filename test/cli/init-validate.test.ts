// parity --version, validate and init through the real CLI entry, and the config's JSON Schema.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../audit/parity-config/json-schema.ts";
import { parseAuditConfig } from "../../audit/parity-config/load.ts";
import packageJson from "../../package.json" with { type: "json" };
import { tempDirWith } from "../audit/support/files.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase } from "../support/databases.ts";

describe("parity --version", () => {
  it("prints the package version, exit 0", async () => {
    const result = await runCli("--version");
    expect(result).toEqual({ exitCode: 0, stdout: `${packageJson.version}\n`, stderr: "" });
  });
});

describe("parity validate", () => {
  it("exit 0 for a valid config, found from a sub-directory", async () => {
    const dir = await tempDirWith({
      "parity.config.yaml":
        'baseline: a\nenvironments:\n  a: { database: { url: "postgres://x/a" } }\n  b: { database: { url: "postgres://x/b" } }\nrules: { "engine/*": error }\n',
    });
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "sub"));
    const cwd = process.cwd();
    process.chdir(join(dir, "sub"));
    try {
      const result = await runCli("validate");
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(
        `${join(dir, "parity.config.yaml")}: valid (baseline a; 2 environments: a, b)`,
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it("exit 2 with every problem, including rule patterns checked against every rule parity has", async () => {
    const dir = await tempDirWith({
      "parity.config.yaml":
        'baseline: a\nenvironments:\n  a: { database: { url: "postgres://x/a" } }\n  b: { databse: {} }\nrules: { "engine/extension-verison": error }\n',
    });
    const result = await runCli("validate", "-c", join(dir, "parity.config.yaml"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('environments.b: unknown key "databse" (did you mean "database"?)');
    expect(result.stderr).toContain(
      'rules."engine/extension-verison": matches no rule (did you mean "engine/extension-version"?)',
    );
  });
});

describe("the config's JSON Schema", () => {
  it("is generated from the zod schema: every top-level key, strict objects, rule levels", () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { additionalProperties?: unknown }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      ["baseline", "connections", "defaults", "environments", "ignore", "lint", "promotion", "rules"].sort(),
    );
    expect(schema.required).toEqual(["baseline", "environments"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.rules?.additionalProperties).toEqual({
      type: "string",
      enum: ["error", "warning", "info", "off"],
    });
  });
});

describe("parity init", () => {
  it("writes a commented config that validates once its variables are set, and refuses to overwrite", async () => {
    const dir = await tempDirWith({});
    const first = await runCli("init", "--dir", dir);
    expect(first.exitCode).toBe(0);
    const text = await readFile(join(dir, "parity.config.yaml"), "utf8");
    expect(text).toMatch(/^# parity drift audit config/);
    const config = parseAuditConfig(text, {
      file: join(dir, "parity.config.yaml"),
      env: { PRODUCTION_DATABASE_URL: "postgres://p/db", STAGING_DATABASE_URL: "postgres://s/db" },
    });
    expect(config.baseline).toBe("production");
    expect(Object.keys(config.environments)).toEqual(["production", "staging"]);
    expect(JSON.parse(await readFile(join(dir, "parity.config.schema.json"), "utf8"))).toEqual(
      configJsonSchema(),
    );

    await writeFile(join(dir, "parity.config.yaml"), "mine");
    const second = await runCli("init", "--dir", dir);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain("already exists; nothing written");
    expect(await readFile(join(dir, "parity.config.yaml"), "utf8")).toBe("mine");
  });

  it("takes the environments from the Pulumi stacks in the directory", async () => {
    const dir = await tempDirWith({
      "Pulumi.yaml": "name: shop\n",
      "Pulumi.staging.yaml": "config: {}\n",
      "Pulumi.production.yaml": "config: {}\n",
      "Pulumi.preview-1.yaml": "config: {}\n",
    });
    expect((await runCli("init", "--dir", dir)).exitCode).toBe(0);
    const config = parseAuditConfig(await readFile(join(dir, "parity.config.yaml"), "utf8"), {
      file: join(dir, "parity.config.yaml"),
      env: {
        PRODUCTION_DATABASE_URL: "postgres://p",
        STAGING_DATABASE_URL: "postgres://s",
        PREVIEW_1_DATABASE_URL: "postgres://v",
      },
    });
    expect(config.baseline).toBe("production");
    expect(Object.keys(config.environments)).toEqual(["production", "preview-1", "staging"]);
    expect(config.environments.staging?.pulumi?.stack).toBe("staging");
  });

  it("writes a masking rules skeleton from a database's columns, which the masking loader accepts", async () => {
    const database = await createTestDatabase(
      15,
      `create table customers (id int primary key, email text, full_name text, phone text, created_at timestamptz, api_token text);
       create table orders (id int primary key, total numeric)`,
    );
    const dir = await tempDirWith({});
    expect((await runCli("init", "--dir", dir, "--database-url", database.url)).exitCode).toBe(0);
    const skeleton = await readFile(join(dir, "masking.yaml"), "utf8");
    expect(skeleton).toContain(
      "  public.customers:\n    email: email\n    full_name: name\n    phone: phone\n    api_token: null\n    # kept as is: id, created_at",
    );
    expect(skeleton).toContain("# public.orders: nothing looks personal (id, total)");
    const { loadMaskingRules } = await import("../../audit/masking/rules-file.ts");
    const rules = await loadMaskingRules(join(dir, "masking.yaml"));
    expect(rules.tables.map((table) => table.table)).toEqual(["customers"]);
    expect(await readFile(join(dir, "parity.config.yaml"), "utf8")).toContain("maskingRules: masking.yaml");
  });
});
