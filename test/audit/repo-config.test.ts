// The repository's own parity.config.yaml (what the nightly workflow audits) stays valid, and
// every environment variable it needs is one the workflow passes.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ParityInputError } from "../../audit/core/errors.ts";
import { loadParityConfig } from "../../audit/parity-config/index.ts";

const ROOT = join(import.meta.dirname, "../..");
const CONFIG = join(ROOT, "parity.config.yaml");

const WORKFLOW_ENV = {
  PULUMI_ORG: "acme",
  PRODUCTION_DATABASE_URL: "postgres://audit@prod.example.internal:5432/shop",
  STAGING_DATABASE_URL: "postgres://audit@staging.example.internal:5432/shop",
};

describe("parity.config.yaml at the repository root", () => {
  it("validates with the variables the drift-audit workflow sets", async () => {
    const config = await loadParityConfig(CONFIG, { env: WORKFLOW_ENV });
    expect(config.baseline).toBe("production");
    expect(Object.keys(config.environments).sort()).toEqual(["production", "staging"]);
  });

  it("fails with a pathed error when one of them is missing", async () => {
    const { STAGING_DATABASE_URL: _, ...partial } = WORKFLOW_ENV;
    const failure = loadParityConfig(CONFIG, { env: partial });
    await expect(failure).rejects.toBeInstanceOf(ParityInputError);
    await expect(failure).rejects.toThrow(/environments\.staging\.database\.url: .*STAGING_DATABASE_URL/);
  });

  it("is audited by the workflow with exactly those variables", async () => {
    const workflow = parse(await readFile(join(ROOT, ".github/workflows/drift-audit.yml"), "utf8"));
    const step = workflow.jobs.audit.steps.find((s: { name?: string }) => s.name === "parity audit");
    expect(step.run).toContain("--config parity.config.yaml");
    for (const name of Object.keys(WORKFLOW_ENV)) expect(Object.keys(step.env)).toContain(name);
  });
});
