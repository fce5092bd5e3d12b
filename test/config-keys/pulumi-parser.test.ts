import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { type ConfigKey, parsePulumiStackConfig } from "../../audit/drift/checks/config-keys/index.ts";
import { caught } from "./caught.ts";

const FILE = "stacks/Pulumi.staging.yaml";
const parse = (text: string) => parsePulumiStackConfig(text, FILE, { project: "shop" });
const brief = (keys: ConfigKey[]) => keys.map((k) => [k.key, k.type, k.value ?? null]);

describe("parsePulumiStackConfig: valid input", () => {
  it.each([
    ["empty file", "", []],
    ["no config section", "encryptionsalt: v1:abc\n", []],
    ["empty config section", "config:\n", []],
    ["project namespace stripped", "config:\n  shop:logLevel: debug\n", [["logLevel", "String", "debug"]]],
    [
      "other namespaces kept",
      "config:\n  aws:region: eu-west-1\n  shop:x: 1\n",
      [
        ["aws:region", "String", "eu-west-1"],
        ["x", "String", "1"],
      ],
    ],
    ["key without namespace", "config:\n  plain: yes\n", [["plain", "String", "yes"]]],
    [
      "numbers and booleans as text",
      "config:\n  shop:n: 42\n  shop:b: true\n",
      [
        ["n", "String", "42"],
        ["b", "String", "true"],
      ],
    ],
    [
      "numbers keep their spelling",
      "config:\n  shop:ratio: 1.50\n  shop:mask: 0x1F\n  shop:l:\n    - 1.0\n",
      [
        ["ratio", "String", "1.50"],
        ["mask", "String", "0x1F"],
        ["l", "StringList", "1.0"],
      ],
    ],
    ["null value", "config:\n  shop:empty:\n", [["empty", "String", ""]]],
    [
      "secure values are keys only",
      "config:\n  shop:dbPassword:\n    secure: AAABAKx8c2VjcmV0\n",
      [["dbPassword", "SecureString", null]],
    ],
    [
      "nested objects flatten",
      "config:\n  shop:db:\n    host: db.internal\n    pool:\n      max: 10\n    password:\n      secure: AAABAA==\n",
      [
        ["db.host", "String", "db.internal"],
        ["db.pool.max", "String", "10"],
        ["db.password", "SecureString", null],
      ],
    ],
    [
      "arrays of scalars are StringLists",
      "config:\n  shop:origins:\n    - a.example\n    - b.example\n",
      [["origins", "StringList", "a.example,b.example"]],
    ],
    [
      "arrays of objects flatten by index",
      "config:\n  shop:queues:\n    - name: orders\n    - name: mails\n      key:\n        secure: AAAB\n",
      [
        ["queues[0].name", "String", "orders"],
        ["queues[1].name", "String", "mails"],
        ["queues[1].key", "SecureString", null],
      ],
    ],
  ])("%s", (_name, text, expected) => {
    expect(brief(parse(text))).toEqual(expected);
  });

  it("keeps the full name beside the stripped key", () => {
    expect(parse("config:\n  shop:a:\n    b: 1\n")).toEqual([
      { key: "a.b", name: "shop:a.b", type: "String", value: "1" },
    ]);
  });

  it("keeps every namespace when the project is unknown", () => {
    expect(brief(parsePulumiStackConfig("config:\n  shop:a: 1\n", FILE))).toEqual([
      ["shop:a", "String", "1"],
    ]);
  });
});

describe("parsePulumiStackConfig: malformed input names file, line and column", () => {
  it.each([
    ["YAML syntax error", "config:\n  shop:a: [1, 2\n", /^stacks\/Pulumi\.staging\.yaml:\d+:\d+: /],
    [
      "duplicate key",
      "config:\n  shop:a: 1\n  shop:a: 2\n",
      /^stacks\/Pulumi\.staging\.yaml:3:3: .*[Uu]nique/,
    ],
    [
      "top level is a list",
      "- a\n- b\n",
      /^stacks\/Pulumi\.staging\.yaml:1:1: expected a mapping at the top level$/,
    ],
    [
      "config is a list",
      "config:\n  - a\n",
      /^stacks\/Pulumi\.staging\.yaml:2:3: "config" must be a mapping of keys to values$/,
    ],
    [
      "key with two colons",
      "config:\n  a:b:c: 1\n",
      /^stacks\/Pulumi\.staging\.yaml:2:3: config key must be "<namespace>:<name>" or "<name>"$/,
    ],
    ["empty namespace", "config:\n  :b: 1\n", /^stacks\/Pulumi\.staging\.yaml:2:3: config key must be/],
    [
      "secure mixed with other fields",
      "config:\n  shop:x:\n    secure: AAAB\n    other: 1\n",
      /^stacks\/Pulumi\.staging\.yaml:3:5: shop:x: a secure value must be exactly \{ secure: <ciphertext> \}$/,
    ],
  ])("%s", (_name, text, pattern) => {
    let error: unknown;
    try {
      parse(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParityInputError);
    const problems = (error as ParityInputError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(pattern);
  });

  it("never prints a secure ciphertext in errors", async () => {
    const ciphertext = "AAABAKx8c2VjcmV0Y2lwaGVydGV4dA==";
    const error = await caught(() => parse(`config:\n  shop:x:\n    secure: ${ciphertext}\n    y: 1\n`));
    expect(error).toBeInstanceOf(ParityInputError);
    expect(error.message).toContain("shop:x");
    expect(error.message).not.toContain(ciphertext);
  });
});
