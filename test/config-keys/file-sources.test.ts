// Pulumi stack files and dotenv files read from disk, relative to the audit config's directory.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import { configKeysCheck } from "../../audit/drift/checks/config-keys/index.ts";
import { caught } from "./caught.ts";

let dir: string;
const context = (environment: string) => ({ environment, configDir: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parity-config-files-"));
  await mkdir(join(dir, "stacks"));
  await writeFile(join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nstackConfigDir: stacks\n");
  await writeFile(
    join(dir, "stacks", "Pulumi.production.yaml"),
    [
      "encryptionsalt: v1:abc",
      "config:",
      "  aws:region: us-east-1",
      "  shop:apiUrl: https://api.shop.example.com",
      "  shop:dbPassword:",
      "    secure: v1:AAAABBBBprodciphertext",
      "  shop:db:",
      "    host: shop-prod.cluster-c9akciq32.us-east-1.rds.amazonaws.com",
      "    pool: 40",
      "  shop:newFlag: true",
      "",
    ].join("\n"),
  );
  await writeFile(
    join(dir, "stacks", "Pulumi.staging.yaml"),
    [
      "config:",
      "  aws:region: us-east-1",
      "  shop:apiUrl: https://api.staging.shop.example.com",
      "  shop:dbPassword: plain-text-oops",
      "  shop:db:",
      "    host: shop-prod.cluster-c9akciq32.us-east-1.rds.amazonaws.com",
      "    pool: 10",
      "  shop:legacyUrl: https://old.example.com",
      "",
    ].join("\n"),
  );
  await writeFile(
    join(dir, "production.env"),
    "API_URL=https://api.shop.example.com\nSTRIPE_KEY=sk_live_DOTENVSECRET\nNEW=1\n",
  );
  await writeFile(
    join(dir, "staging.env"),
    "# staging\nexport API_URL=\"https://api.staging.shop.example.com\"\nSTRIPE_KEY='sk_test_x'\n",
  );
  await writeFile(join(dir, "broken.env"), 'A=1\nB="open\n');
  await writeFile(join(dir, "stacks", "Pulumi.ambiguous.yaml"), "config:\n  shop:region: a\n  region: b\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("Pulumi stack config files", () => {
  it("reads keys with the project namespace stripped and secure values as keys only", async () => {
    const snapshot = await configKeysCheck.read(
      { pulumi: { file: "stacks/Pulumi.production.yaml" } },
      context("production"),
    );
    expect(snapshot.source).toBe("pulumi");
    expect(snapshot.keys.map((k) => [k.key, k.type])).toEqual([
      ["apiUrl", "String"],
      ["aws:region", "String"],
      ["db.host", "String"],
      ["db.pool", "String"],
      ["dbPassword", "SecureString"],
      ["newFlag", "String"],
    ]);
    expect(JSON.stringify(snapshot)).not.toContain("prodciphertext");
  });

  it("compares two stacks: missing, extra, type change and a value pointing at production", async () => {
    const [production, staging] = await Promise.all([
      configKeysCheck.read({ pulumi: { file: "stacks/Pulumi.production.yaml" } }, context("production")),
      configKeysCheck.read({ pulumi: { file: "stacks/Pulumi.staging.yaml" } }, context("staging")),
    ]);
    const findings = configKeysCheck.compare(production, staging, {
      baseline: "production",
      target: "staging",
    });
    expect(findings.map((f) => `${f.severity} ${f.ruleId} ${f.location.object}`)).toEqual([
      "warning config/extra-key legacyUrl",
      "error config/missing-key newFlag",
      "error config/points-at-production db.host",
      "error config/type-mismatch dbPassword",
    ]);
    expect(JSON.stringify(findings)).not.toContain("plain-text-oops");
  });

  it("two names that strip to the same key are bad input, not a silent overwrite", async () => {
    const error = await caught(() =>
      configKeysCheck.read({ pulumi: { file: "stacks/Pulumi.ambiguous.yaml" } }, context("x")),
    );
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([
      `${join(dir, "stacks/Pulumi.ambiguous.yaml")}: "shop:region" and "region" both become key "region"`,
    ]);
  });

  it("a missing stack file is an EnvironmentReadError naming the environment and file", async () => {
    const error = await caught(() =>
      configKeysCheck.read({ pulumi: { file: "stacks/Pulumi.nope.yaml" } }, context("preview")),
    );
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(error.message).toContain(
      `preview: could not read Pulumi stack config ${join(dir, "stacks/Pulumi.nope.yaml")}`,
    );
  });
});

describe("dotenv files", () => {
  it("compares two dotenv files without printing values", async () => {
    const [production, staging] = await Promise.all([
      configKeysCheck.read({ dotenv: { file: "production.env" } }, context("production")),
      configKeysCheck.read({ dotenv: { file: "staging.env" } }, context("staging")),
    ]);
    expect(staging.keys.map((k) => [k.key, k.value])).toEqual([
      ["API_URL", "https://api.staging.shop.example.com"],
      ["STRIPE_KEY", "sk_test_x"],
    ]);
    const findings = configKeysCheck.compare(production, staging, {
      baseline: "production",
      target: "staging",
    });
    expect(findings.map((f) => `${f.ruleId} ${f.location.object}`)).toEqual(["config/missing-key NEW"]);
    expect(JSON.stringify(findings)).not.toContain("sk_live_DOTENVSECRET");
  });

  it("a malformed file is bad input naming file, line and column", async () => {
    const error = await caught(() =>
      configKeysCheck.read({ dotenv: { file: "broken.env" } }, context("staging")),
    );
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual([
      `${join(dir, "broken.env")}:2:3: B: unterminated double-quoted value (opened here)`,
    ]);
  });

  it("a missing file is an EnvironmentReadError", async () => {
    const error = await caught(() =>
      configKeysCheck.read({ dotenv: { file: "nope.env" } }, context("staging")),
    );
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect((error as EnvironmentReadError).environment).toBe("staging");
  });
});
