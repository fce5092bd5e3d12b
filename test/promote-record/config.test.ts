// The promotion: block of parity.config.yaml: validated with the rest of the file (every problem at
// once, with "did you mean"), paths resolved against the config's directory, never key material.
import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { parseAuditConfig } from "../../audit/parity-config/load.ts";
import { resolvePromotionSettings } from "../../audit/promote/record/settings.ts";

const BASE = `
baseline: production
environments:
  production: { database: { url: "postgres://localhost/prod" } }
  staging: { database: { url: "postgres://localhost/staging" } }
`;
const FILE = "/repo/ops/parity.config.yaml";

function load(promotion: string) {
  return parseAuditConfig(`${BASE}${promotion}`, { file: FILE, env: { KEY_FILE: "keys/record.pem" } });
}

function problems(promotion: string): readonly string[] {
  try {
    load(promotion);
  } catch (error) {
    if (error instanceof ParityInputError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be refused");
}

describe("promotion config", () => {
  it("resolves a directory log and a key file against the config's directory", () => {
    const config = load(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: parity's own placeholder syntax
      'promotion:\n  log: records\n  signingKey: { file: "${KEY_FILE}" }\n  publicKey: keys/record.pub.pem\n',
    );
    expect(resolvePromotionSettings(config)).toEqual({
      log: "/repo/ops/records",
      signingKey: { file: "/repo/ops/keys/record.pem" },
      publicKeyFile: "/repo/ops/keys/record.pub.pem",
    });
  });

  it("keeps an S3 log and an SSM key as given", () => {
    const config = load(
      "promotion:\n  log: s3://acme-records/shop\n  signingKey: { ssmParameter: /parity/record-key, region: eu-west-1 }\n",
    );
    expect(resolvePromotionSettings(config)).toEqual({
      log: "s3://acme-records/shop",
      signingKey: { ssmParameter: "/parity/record-key", region: "eu-west-1" },
    });
  });

  it("refuses a config without the block when promotion needs it", () => {
    expect(() => resolvePromotionSettings(load(""))).toThrow(/parity\.config\.yaml has no promotion: block/);
  });

  it.each([
    [
      "both key sources",
      "  log: r\n  signingKey: { file: k.pem, ssmParameter: /k }\n",
      "promotion.signingKey: give exactly one of file (a 0600 PEM file) or ssmParameter (an SSM SecureString), not both",
    ],
    [
      "no key source",
      "  log: r\n  signingKey: {}\n",
      "promotion.signingKey: give exactly one of file (a 0600 PEM file) or ssmParameter (an SSM SecureString)",
    ],
    [
      "region with a file",
      "  log: r\n  signingKey: { file: k.pem, region: eu-west-1 }\n",
      "promotion.signingKey: region and endpoint go with ssmParameter, not with file",
    ],
    ["a missing log", "  signingKey: { file: k.pem }\n", "promotion.log: is required"],
    [
      "a bucket-less S3 log",
      "  log: s3://\n  signingKey: { file: k.pem }\n",
      "promotion.log: must be a directory or s3://bucket/prefix",
    ],
    [
      "a misspelled key",
      "  log: r\n  signingKey: { file: k.pem }\n  publicKy: k.pub\n",
      'promotion: unknown key "publicKy" (did you mean "publicKey"?)',
    ],
    [
      "an SSM name without /",
      "  log: r\n  signingKey: { ssmParameter: parity/key }\n",
      "promotion.signingKey.ssmParameter: must start with / (an SSM parameter name)",
    ],
  ])("refuses %s", (_name, block, expected) => {
    expect(problems(`promotion:\n${block}`)).toContain(expected);
  });

  it("refuses key material in the config without echoing it", () => {
    const found = problems(
      'promotion:\n  log: r\n  signingKey:\n    file: "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIGHX1H9OUhvjvMjrZRThEdWejBaduXl7EBf9fc5KDNm8\\n-----END PRIVATE KEY-----"\n',
    );
    expect(found).toEqual([
      "promotion.signingKey.file: looks like key material: name a file, never put the key in the config",
    ]);
    expect(found.join("\n")).not.toContain("MC4CAQ");
  });

  it("reports promotion problems together with the rest of the file", () => {
    const all = parseAuditConfigProblems(
      `baseline: prod\nenvironments:\n  production: { database: { url: "postgres://x/y" } }\n  staging: { database: { url: "postgres://x/z" } }\npromotion: { log: r, signingKey: {} }\n`,
    );
    expect(all).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^promotion\.signingKey: give exactly one/),
        expect.stringMatching(/^baseline: "prod" is not one of the environments/),
      ]),
    );
  });
});

function parseAuditConfigProblems(text: string): readonly string[] {
  try {
    parseAuditConfig(text, { file: FILE });
  } catch (error) {
    if (error instanceof ParityInputError) return error.problems;
  }
  return [];
}
