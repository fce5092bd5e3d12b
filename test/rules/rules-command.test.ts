// `parity rules`: the typed function, its two renderings, and the command through the real CLI entry.
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatRulesJson, formatRulesText, listRules } from "../../audit/cli/rules/command.ts";
import { ParityInputError } from "../../audit/core/errors.ts";
import { ruleRegistry } from "../../audit/drift/rules/index.ts";
import { runCli } from "../support/cli.ts";

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

const run = runCli;

describe("listRules", () => {
  it("lists the whole registry, in order, with each rule's domain", () => {
    const listed = listRules();
    expect(listed.map((rule) => rule.id)).toEqual(ruleRegistry.map((rule) => rule.id));
    expect(listed.find((rule) => rule.id === "schema/missing")).toEqual({
      id: "schema/missing",
      domain: "schema",
      defaultSeverity: "error",
      description: "An object in the baseline database is missing from the target.",
    });
  });

  it.each([
    [
      "schema/*",
      ["schema/changed", "schema/dependent", "schema/extra", "schema/missing", "schema/pattern-unmatched"],
    ],
    ["rds/parameter*", ["rds/parameter", "rds/parameter-extra"]],
    ["data/volume", ["data/volume"]],
    [
      "*/*-version",
      ["engine/extension-version", "engine/major-version", "engine/minor-version", "rds/engine-version"],
    ],
  ])("selects what the ignore pattern %s would match", (pattern, expected) => {
    expect(listRules({ pattern }).map((rule) => rule.id)).toEqual(expected);
  });

  it.each(["schema-missing", "engine-*", "schema/nope"])(
    "rejects a pattern that matches no rule (%s), as an ignore entry with it would hide nothing",
    (pattern) => {
      expect(() => listRules({ pattern })).toThrow(ParityInputError);
      expect(() => listRules({ pattern })).toThrow(`rule pattern "${pattern}" matches no rule id`);
    },
  );

  it("takes a registry of its own", () => {
    const registry = [{ id: "x/y", description: "Why.", defaultSeverity: "info" as const, messages: {} }];
    expect(listRules({ registry })).toEqual([
      { id: "x/y", domain: "x", defaultSeverity: "info", description: "Why." },
    ]);
  });
});

describe("renderings", () => {
  const two = listRules({ pattern: "config/*-key" });

  it("text: a header, one aligned line per rule, and how to write an ignore entry", () => {
    const lines = formatRulesText(two).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "RULE                SEVERITY  DESCRIPTION",
      "config/extra-key    warning   The target has a key the baseline does not.",
      "config/missing-key  error     A key the baseline has is missing from the target.",
    ]);
    expect(lines).toContain(
      "2 rules. An ignore entry names a rule id or pattern (* and ?), an object and a reason:",
    );
  });

  it("json: the listed rules as data", () => {
    expect(JSON.parse(formatRulesJson(two))).toEqual({ rules: two });
  });
});

describe("parity rules", () => {
  it("prints every rule and exits 0", async () => {
    const { exitCode, stdout, stderr } = await run("rules");
    expect(exitCode).toBe(0);
    expect(stderr).toBe("");
    for (const rule of ruleRegistry) {
      expect(stdout).toMatch(new RegExp(`^${rule.id}\\s+${rule.defaultSeverity}\\s+\\S`, "m"));
    }
  });

  it("--json prints the registry as JSON, filtered by a pattern", async () => {
    const { exitCode, stdout } = await run("rules", "--json", "audit/*");
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      rules: [
        expect.objectContaining({ id: "audit/ignore-expired", domain: "audit", defaultSeverity: "warning" }),
        expect.objectContaining({ id: "audit/ignore-unused", domain: "audit", defaultSeverity: "warning" }),
      ],
    });
  });

  it("exits 2 with a clear message when the pattern matches nothing, printing no list", async () => {
    const { exitCode, stdout, stderr } = await run("rules", "schema-missing");
    expect(exitCode).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('rule pattern "schema-missing" matches no rule id');
    expect(stderr).toContain("parity rules");
  });
});
