import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { loadParityConfig, parseAuditConfig } from "../../audit/parity-config/index.ts";
import { tempDirWith } from "./support/files.ts";

const FILE = "/etc/parity/parity.config.yaml";

function problemsOf(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseAuditConfig(yaml, { file: FILE, env });
  } catch (error) {
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).exitCode).toBe(2);
    return [...(error as ParityInputError).problems];
  }
  throw new Error("expected the config to be rejected");
}

const VALID = `
baseline: production
environments:
  production:
    database: { url: "postgres://audit@prod-db:5432/shop" }
    config: { ssm: { path: /shop/production/, region: eu-west-1 } }
    rds: { instance: shop-production }
  staging:
    database: { url: "postgres://audit@staging-db:5432/shop", schemas: [public] }
    config: { dotenv: { file: envs/staging.env } }
    rds: { cluster: shop-staging }
ignore:
  - rule: rds/instance-class
    object: "shop-*"
    environment: staging
    reason: staging runs on a smaller instance class on purpose
    until: 2027-01-31
`;

describe("audit config: valid files", () => {
  it("loads environments, resolves relative paths against the config's directory", () => {
    const config = parseAuditConfig(VALID, { file: FILE, env: {} });
    expect(config.baseline).toBe("production");
    expect(Object.keys(config.environments)).toEqual(["production", "staging"]);
    expect(config.environments.staging?.config).toEqual({ dotenv: { file: "/etc/parity/envs/staging.env" } });
    expect(config.environments.staging?.rds).toEqual({ cluster: "shop-staging" });
    expect(config.ignore).toEqual([
      {
        index: 0,
        rule: "rds/instance-class",
        object: "shop-*",
        environment: "staging",
        reason: "staging runs on a smaller instance class on purpose",
        until: "2027-01-31",
      },
    ]);
  });

  it("applies defaults.database to every database, the environment's own values winning", () => {
    const config = parseAuditConfig(
      `baseline: a
defaults: { database: { excludeSchemas: [audit], minRowRatio: 0.5, maskingRules: masking.yaml } }
environments:
  a: { database: { url: "postgres://x/a" } }
  b: { database: { url: "postgres://x/b", minRowRatio: 0.2 } }
`,
      { file: FILE, env: {} },
    );
    expect(config.environments.a?.database).toEqual({
      url: "postgres://x/a",
      excludeSchemas: ["audit"],
      minRowRatio: 0.5,
      maskingRules: "/etc/parity/masking.yaml",
    });
    expect(config.environments.b?.database?.minRowRatio).toBe(0.2);
  });

  it("expands variable references, with fallbacks, and keeps the $$ escape literal", () => {
    const config = parseAuditConfig(
      `baseline: a
environments:
  a: { database: { url: "postgres://audit:\${DB_PASSWORD}@prod/\${DB_NAME:-shop}" }, config: { dotenv: { file: a.env } } }
  b: { database: { url: "postgres://x/b" }, config: { ssm: { path: "/shop/$\${literal}/" } } }
`,
      { file: FILE, env: { DB_PASSWORD: "s3cret" } },
    );
    expect(config.environments.a?.database?.url).toBe("postgres://audit:s3cret@prod/shop");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point
    expect(config.environments.b?.config).toEqual({ ssm: { path: "/shop/${literal}/" } });
  });

  it("reads the file from disk and reports a missing file with its path", async () => {
    const dir = await tempDirWith({ "parity.config.yaml": VALID });
    const config = await loadParityConfig(join(dir, "parity.config.yaml"), { env: {} });
    expect(config.dir).toBe(dir);
    expect(config.environments.staging?.config).toEqual({ dotenv: { file: join(dir, "envs/staging.env") } });
    await expect(loadParityConfig(join(dir, "nope.yaml"))).rejects.toThrow(/nope\.yaml: file not found/);
  });
});

describe("audit config: every problem, with its path", () => {
  it.each([
    ["YAML syntax", "baseline: [unclosed", [/^\/etc\/parity\/parity\.config\.yaml:1:\d+: YAML: /]],
    ["not a mapping", "- just a list", [/\(top level\): expected a mapping/]],
    [
      "unset variable names the key path and the variable",
      `baseline: a
environments:
  a: { database: { url: "postgres://x/\${MISSING_DB}" } }
  b: { database: { url: "postgres://x/b" } }`,
      [/^environments\.a\.database\.url: environment variable MISSING_DB is not set/],
    ],
    [
      "baseline missing from environments",
      `baseline: prod
environments:
  a: { database: { url: "postgres://x/a" } }
  b: { database: { url: "postgres://x/b" } }`,
      [/^baseline: "prod" is not one of the environments \(a, b\)/],
    ],
    [
      "required keys",
      `environments:
  a: { database: {} }
  b: { database: { url: "postgres://x/b" } }`,
      [/^baseline: is required/, /^environments\.a\.database\.url: is required/],
    ],
    [
      "an environment with no source",
      `baseline: a
environments:
  a: { database: { url: "postgres://x/a" } }
  b: {}`,
      [/^environments\.b: declares nothing to audit/],
    ],
    [
      "instance XOR cluster",
      `baseline: a
environments:
  a: { rds: { instance: one, cluster: two } }
  b: { rds: {} }`,
      [
        /^environments\.a\.rds: give exactly one of instance .*not both/,
        /^environments\.b\.rds: give exactly one/,
      ],
    ],
    [
      "config needs exactly one source",
      `baseline: a
environments:
  a: { config: { dotenv: { file: a.env }, ssm: { path: /a/ } } }
  b: { config: {} }`,
      [
        /^environments\.a\.config: give exactly one of ssm, pulumi, dotenv \(found ssm and dotenv\)/,
        /^environments\.b\.config: give exactly one of ssm, pulumi, dotenv$/,
      ],
    ],
    [
      "typos are unknown keys, not silently ignored",
      `baseline: a
environments:
  a: { database: { url: "postgres://x/a", shemas: [public] } }
  b: { databse: { url: "postgres://x/b" } }`,
      [
        /^environments\.a\.database: unknown key "shemas"/,
        /^environments\.b: unknown key "databse"/,
        /^environments\.b: declares nothing to audit/,
      ],
    ],
    [
      "value types and ranges, URL not echoed",
      `baseline: a
environments:
  a: { database: { url: "mysql://root:hunter2@db/a", minRowRatio: 3 } }
  b: { database: { url: "postgres://x/b", schemas: public }, rds: { instance: b, endpoint: "not a url" } }`,
      [
        /^environments\.a\.database\.url: must be a postgres:\/\/ or postgresql:\/\/ connection URL$/,
        /^environments\.a\.database\.minRowRatio: must be between 0 and 1/,
        /^environments\.b\.database\.schemas: Invalid input: expected array/,
        /^environments\.b\.rds\.endpoint: /,
        /^environments\.b\.rds: the baseline \(a\) has no rds/,
      ],
    ],
    [
      "ignore entries need rule, object and reason; until is a date",
      `baseline: a
environments:
  a: { database: { url: "postgres://x/a" } }
  b: { database: { url: "postgres://x/b" } }
ignore:
  - { rule: schema/index-missing, object: "public.*" }
  - { object: x, reason: because, until: next week }`,
      [
        /^ignore\[0\]\.reason: is required/,
        /^ignore\[1\]\.rule: is required/,
        /^ignore\[1\]\.until: must be a date \(YYYY-MM-DD\)/,
      ],
    ],
    [
      "a target source the baseline lacks",
      `baseline: a
environments:
  a: { database: { url: "postgres://x/a" } }
  b: { database: { url: "postgres://x/b" }, rds: { instance: b } }`,
      [/^environments\.b\.rds: the baseline \(a\) has no rds to compare with/],
    ],
    [
      "SSM paths are absolute",
      `baseline: a
environments:
  a: { config: { ssm: { path: /shop/production/ } } }
  b: { config: { ssm: { path: shop/staging } } }`,
      [/^environments\.b\.config\.ssm\.path: must start with \/ \(an SSM parameter path\)/],
    ],
    [
      "stack output references need a pulumi stack",
      `baseline: a
environments:
  a: { database: { url: "postgres://audit@\${pulumi.databaseEndpoint}/shop" } }
  b: { database: { url: "postgres://audit@\${pulumi.databaseEndpoint}/shop" }, pulumi: { stack: shop/b } }`,
      [/^environments\.a\.database\.url: uses \$\{pulumi\.…\} but the environment declares no pulumi stack/],
    ],
    [
      "bad environment names",
      `baseline: a
environments:
  a: { database: { url: "postgres://x/a" } }
  "b c": { database: { url: "postgres://x/b" } }`,
      [/^environments\.b c: environment names use letters/],
    ],
  ])("%s", (_name, yaml, expected) => {
    const problems = problemsOf(yaml);
    for (const pattern of expected) expect(problems).toContainEqual(expect.stringMatching(pattern));
    expect(problems).toHaveLength(expected.length);
  });

  it("merges defaults.database.roles.map with an environment's own, its entries winning", () => {
    const config = parseAuditConfig(
      `baseline: production
defaults: { database: { roles: { map: { shop_prod_owner: shop_owner, shop_prod_reader: shop_reader } } } }
environments:
  production: { database: { url: "postgres://x/p" } }
  staging: { database: { url: "postgres://x/s", roles: { map: { shop_prod_owner: shop_staging_owner } } } }
`,
      { file: FILE, env: {} },
    );
    expect(config.environments.staging?.database?.roles).toEqual({
      map: { shop_prod_owner: "shop_staging_owner", shop_prod_reader: "shop_reader" },
    });
  });

  it("refuses a role map on the baseline, an empty or over-long role name and unknown keys under roles", () => {
    const problems = problemsOf(`baseline: production
environments:
  production: { database: { url: "postgres://x/p", roles: { map: { a: b } } } }
  staging: { database: { url: "postgres://x/s", roles: { map: { shop_prod_owner: "", ${"r".repeat(64)}: x }, mapp: {} } } }`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^environments\.production\.database\.roles: the baseline's roles are the ones mapped from/,
        ),
        expect.stringMatching(
          /^environments\.staging\.database\.roles\.map\.shop_prod_owner: must not be empty/,
        ),
        expect.stringMatching(/role names are at most 63 bytes/),
        expect.stringMatching(/^environments\.staging\.database\.roles: unknown key "mapp"/),
      ]),
    );
  });

  it("never echoes a rejected URL (it may carry a password)", () => {
    const problems = problemsOf(`baseline: a
environments:
  a: { database: { url: "mysql://root:hunter2@db/a" } }
  b: { database: { url: "postgres://x/b" } }`);
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  it("collects structural and cross-field problems together in one error", () => {
    const problems = problemsOf(`baseline: prod
environments:
  a: { rds: { instance: one, cluster: two, color: blue } }
  b: {}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environments\.a\.rds: unknown key "color"/),
        expect.stringMatching(/^baseline: "prod" is not one of the environments/),
        expect.stringMatching(/^environments\.a\.rds: give exactly one of instance/),
        expect.stringMatching(/^environments\.b: declares nothing to audit/),
      ]),
    );
  });

  // Every secret a user could put where YAML fails to parse: a YAML error quotes nothing.
  it.each([
    ["an unquoted token", "baseline: production\nSECURE_SEKRIT_YAMLLEAK\nenvironments: {}"],
    [
      "a URL after a bad indent",
      "baseline: a\nenvironments:\n  a:\n    database: { url: postgres://u:SECURE_SEKRIT_YAMLLEAK@db/a }\n   b: x",
    ],
    ["an unclosed quote", 'baseline: "SECURE_SEKRIT_YAMLLEAK\nenvironments: {}'],
    ["a duplicate key", "baseline: a\nbaseline: SECURE_SEKRIT_YAMLLEAK\n"],
    ["a tab", "baseline: a\nenvironments:\n\tSECURE_SEKRIT_YAMLLEAK: 1\n"],
  ])("a YAML error names file, line and column, never the text (%s)", (_name, yaml) => {
    const problems = problemsOf(yaml);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatch(/^\/etc\/parity\/parity\.config\.yaml:\d+:\d+: YAML: /);
      expect(problem).not.toContain("SEKRIT");
      expect(problem).not.toContain("postgres://");
    }
  });

  it("caps alias expansion: a billion-laughs file is bad input, not an internal error", () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level <= 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const next = String.fromCharCode(97 + level);
      laughs.push(`${next}: &${next} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    expect(problemsOf(laughs.join("\n"))).toEqual([expect.stringMatching(/YAML: too many aliases/)]);
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses %s as a name, with its position", (name) => {
    const problems = problemsOf(`baseline: a
environments:
  a: { database: { url: "postgres://x/a" } }
  ${name}: { database: { url: "postgres://x/b" } }`);
    expect(problems).toEqual([`${FILE}:4:3: "${name}" cannot be used as a name`]);
  });

  it("refuses a file that is not UTF-8, naming the line and column, and a file too big to be a config", async () => {
    const dir = await tempDirWith({});
    const { writeFile } = await import("node:fs/promises");
    await writeFile(
      join(dir, "latin1.yaml"),
      Buffer.from("baseline: a\nenvironments:\n  caf\xe9: {}\n", "latin1"),
    );
    await expect(loadParityConfig(join(dir, "latin1.yaml"))).rejects.toThrow(
      /latin1\.yaml: not valid UTF-8: byte 31 \(line 3, column 6\)/,
    );
    await writeFile(join(dir, "big.yaml"), `baseline: a\n#${"x".repeat(2 * 1024 * 1024)}\n`);
    const started = Date.now();
    await expect(loadParityConfig(join(dir, "big.yaml"))).rejects.toThrow(/big\.yaml: larger than 1 MB/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("suggests the key a typo meant", () => {
    const problems = problemsOf(`baseline: a
environments:
  a: { database: { url: "postgres://x/a", excludeSchema: [x] } }
  b: { database: { url: "postgres://x/b" } }
ignroe: []`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '(top level): unknown key "ignroe" (did you mean "ignore"?)',
        'environments.a.database: unknown key "excludeSchema" (did you mean "excludeSchemas"?)',
      ]),
    );
  });
});

describe("rules and connections in the config", () => {
  const RULE_IDS = ["engine/extension-version", "engine/setting", "data/volume", "schema/missing"];
  const base = `baseline: a
environments:
  a: { database: { url: "postgres://x/a" } }
  b: { database: { url: "postgres://x/b" } }
`;

  it("reads rule levels in file order and connection settings in seconds, with defaults", () => {
    const config = parseAuditConfig(
      `${base}rules:\n  "engine/*": error\n  data/volume: "off"\nconnections: { connectTimeout: 2.5, max: 3 }\n`,
      { file: FILE, env: {}, ruleIds: RULE_IDS },
    );
    expect(config.rules).toEqual([
      { pattern: "engine/*", level: "error" },
      { pattern: "data/volume", level: "off" },
    ]);
    expect(config.connections).toEqual({ connectTimeoutMs: 2500, lockTimeoutMs: 10_000, maxConnections: 3 });
    expect(parseAuditConfig(base, { file: FILE, env: {} }).connections).toEqual({
      connectTimeoutMs: 10_000,
      lockTimeoutMs: 10_000,
      maxConnections: 8,
    });
  });

  it("reports unknown rule patterns, bad levels and ignore typos together with every other problem", () => {
    const problems = (() => {
      try {
        parseAuditConfig(
          `${base}rules:\n  engine/extension-versoin: error\n  "nosuch/*": warning\n  data/volume: warn\nignore:\n  - { rule: schema/mising, object: x, reason: y }\nconnections: { max: 0 }\n`,
          { file: FILE, env: {}, ruleIds: RULE_IDS },
        );
      } catch (error) {
        return [...(error as ParityInputError).problems];
      }
      return [];
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        'rules."engine/extension-versoin": matches no rule (did you mean "engine/extension-version"?); run `parity rules` for the list',
        expect.stringMatching(/^rules\."nosuch\/\*": matches no rule; run/),
        "rules.data/volume: must be one of error, warning, info, off",
        expect.stringMatching(
          /^ignore\[0\]\.rule: "schema\/mising" matches no rule \(did you mean "schema\/missing"\?\)/,
        ),
        "connections.max: max must be at least 1",
      ]),
    );
    expect(problems).toHaveLength(5);
  });
});
