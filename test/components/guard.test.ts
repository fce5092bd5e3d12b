// `parity guard`: the replacement guard CI runs between `pulumi preview --json` and `pulumi up`,
// on fixtures in the format Pulumi's `preview --json` prints (display.PreviewDigest).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  guardPreview,
  type PreviewDigest,
  parsePreviewDigest,
  parseUrn,
  withoutGeneration,
} from "../../audit/cli/guard/command.ts";

const ROOT = join(import.meta.dirname, "../..");
const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string) =>
  parsePreviewDigest(readFileSync(join(FIXTURES, name), "utf8"), name) as PreviewDigest;

function parity(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, "bin/parity.js"), ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const URN = (type: string, name: string) =>
  `urn:pulumi:staging::parity::parity:index:Environment$parity:database:Database$${type}::${name}`;
const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";

describe("guardPreview", () => {
  it("refuses a ForceNew change without a generation bump, naming the database and the reason", () => {
    const result = guardPreview(fixture("preview-forcenew.json"));
    expect(result.exitCode).toBe(1);
    expect(result.violations).toEqual([
      expect.objectContaining({
        op: "replace",
        type: INSTANCE,
        message: expect.stringMatching(
          /^shop-staging-db-g1-instance would be replaced \(dbSubnetGroupName\)\..*parity:cloneGeneration/,
        ),
      }),
    ]);
  });

  it("accepts the same rebuild declared as a new generation (create g2, delete g1)", () => {
    const result = guardPreview(fixture("preview-generation-refresh.json"));
    expect(result).toMatchObject({ exitCode: 0, violations: [] });
    expect(result.refreshes.map((r) => [parseUrn(r.deleted).name, parseUrn(r.created).name])).toEqual([
      ["shop-staging-db-g1-instance", "shop-staging-db-g2-instance"],
    ]);
  });

  it.each([
    [
      "a delete with no successor",
      [{ op: "delete", urn: URN(INSTANCE, "shop-staging-db-g1-instance") }],
      /would be deleted with no new generation/,
    ],
    [
      "production deleted even beside a new resource of that name",
      [
        {
          op: "delete",
          urn: URN(CLUSTER, "shop-production-db-cluster"),
          oldState: { type: CLUSTER, inputs: { tags: { "parity:tier": "production" } } },
        },
        { op: "create", urn: URN(CLUSTER, "shop-production-db-g2-cluster") },
      ],
      /production's database and would be deleted/,
    ],
    [
      "a replacement shown with --show-replacement-steps (one message)",
      [
        { op: "create-replacement", urn: URN(CLUSTER, "x-db-cluster"), replaceReasons: ["kmsKeyId"] },
        { op: "replace", urn: URN(CLUSTER, "x-db-cluster"), replaceReasons: ["kmsKeyId"] },
        { op: "delete-replaced", urn: URN(CLUSTER, "x-db-cluster") },
      ],
      /x-db-cluster would be replaced \(kmsKeyId\)/,
    ],
    [
      "a hand-made RDS instance replaced",
      [
        {
          op: "replace",
          urn: "urn:pulumi:dev::app::aws:rds/instance:Instance::orders",
          replaceReasons: ["availabilityZone"],
        },
      ],
      /orders would be replaced \(availabilityZone\)/,
    ],
    [
      "a delete whose 'successor' is another type",
      [
        { op: "delete", urn: URN(INSTANCE, "s-db-g1-instance") },
        { op: "create", urn: URN(CLUSTER, "s-db-g2-cluster") },
      ],
      /s-db-g1-instance would be deleted/,
    ],
  ])("refuses %s", (_label, steps, message) => {
    const result = guardPreview({ steps });
    expect(result.exitCode).toBe(1);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]?.message).toMatch(message);
  });

  it.each([
    [
      "a replaced parameter (not a database)",
      [{ op: "replace", urn: URN("aws:ssm/parameter:Parameter", "p") }],
    ],
    ["an in-place database update", [{ op: "update", urn: URN(INSTANCE, "s-db-instance") }]],
    ["a new preview", [{ op: "create", urn: URN(INSTANCE, "s-db-instance") }]],
    ["no changes", []],
  ])("lets %s through", (_label, steps) => {
    expect(guardPreview({ steps })).toMatchObject({ exitCode: 0, violations: [] });
  });

  it("strips only the generation from a database name", () => {
    expect(withoutGeneration("shop-staging-db-g2026-03-02-instance")).toBe("shop-staging-db-instance");
    expect(withoutGeneration("shop-staging-db-cluster")).toBe("shop-staging-db-cluster");
    expect(withoutGeneration("orders")).toBe("orders");
  });
});

describe("parity guard (CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "parity-guard-"));

  it("exits 1 on a refused replacement and 0 on a declared refresh", async () => {
    const refused = await parity(["guard", "--preview", join(FIXTURES, "preview-forcenew.json")]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^REFUSED replace: shop-staging-db-g1-instance would be replaced/);
    expect(refused.stdout).toContain("1 protected database change(s) refused; nothing was deployed");
    const ok = await parity(["guard", "--preview", join(FIXTURES, "preview-generation-refresh.json")]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("ok: shop-staging-db-g1-instance is replaced by its new generation");
  });

  it.each([
    ["not JSON", "Previewing update (staging):\n", /not JSON/],
    ["an array", "[]", /not the output of pulumi preview --json/],
    ["an unrelated object", '{"name":"x"}', /no "steps" and no "changeSummary"/],
    ["steps of the wrong shape", '{"steps":[{"urn":1}]}', /steps\.0\.op/],
  ])("exits 2 on %s, naming the file", async (_label, text, message) => {
    const file = join(dir, `${_label.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, text);
    const ran = await parity(["guard", "--preview", file]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(file);
    expect(ran.stderr).toMatch(message);
    expect(ran.stdout).toBe("");
  });

  it("exits 2 on a missing file", async () => {
    const ran = await parity(["guard", "--preview", join(dir, "absent.json")]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/absent\.json: cannot read the preview/);
  });
});
