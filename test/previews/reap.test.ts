// The reaper against a fake `pulumi` executable: which stacks it reads, which it destroys (and in
// what order), which it never touches, and how it reports a failure.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listPreviews, reapPreviews } from "../../audit/cli/previews/command.ts";
import { formatPreviewList, formatReapResult } from "../../audit/cli/previews/format.ts";
import { EnvironmentReadError } from "../../audit/core/errors.ts";
import { type FakePulumi, fakePulumi, type Scenario } from "./fake-pulumi.ts";

const NOW = new Date("2026-03-10T00:00:00Z");

const PROJECT: Scenario = {
  stacks: [
    { name: "production" },
    { name: "staging" },
    { name: "dev" },
    { name: "preview-expired" },
    { name: "preview-alive" },
    { name: "preview-untagged" },
    { name: "preview-prod-lookalike" },
    { name: "preview-old-program" },
    { name: "acme/parity/preview-other-org" },
  ],
  outputs: {
    // production and staging answer too: the reaper must not even ask.
    production: { tier: "production" },
    staging: { tier: "staging" },
    dev: { tier: "preview", expiresAt: "2026-01-01T00:00:00Z" },
    "preview-expired": { tier: "preview", branch: "feature/expired", expiresAt: "2026-03-09T00:00:00Z" },
    "preview-alive": { tier: "preview", branch: "feature/alive", expiresAt: "2026-03-12T06:00:00Z" },
    "preview-untagged": { tier: "preview", branch: "legacy" },
    // Named like a preview, tagged expired, but its tier output says production.
    "preview-prod-lookalike": { tier: "production", expiresAt: "2026-03-01T00:00:00Z" },
    // Deployed before the tier output existed: name and expiresAt decide.
    "preview-old-program": { expiresAt: "2026-03-08T00:00:00Z", databaseEndpoint: "[secret]" },
    "acme/parity/preview-other-org": { tier: "preview", expiresAt: "2026-03-02T00:00:00Z" },
  },
};

let fake: FakePulumi;
let project: string;
const setup = async (scenario: Scenario) => {
  fake = await fakePulumi(scenario);
  return { path: fake.dir, cwd: project, now: NOW };
};
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "parity-project-"));
});
afterEach(async () => {
  await fake?.remove();
  await rm(project, { recursive: true, force: true });
});

const destroyAndRemove = (stack: string) => [
  `pulumi destroy --yes --stack ${stack}`,
  `pulumi stack rm --yes ${stack}`,
];

describe("parity previews list", () => {
  it("gives every stack a verdict, reading outputs of preview-named stacks only", async () => {
    const list = await listPreviews(await setup(PROJECT));
    expect(Object.fromEntries(list.stacks.map((s) => [s.stack, s.state]))).toEqual({
      "acme/parity/preview-other-org": "expired",
      dev: "not-a-preview",
      "preview-alive": "alive",
      "preview-expired": "expired",
      "preview-old-program": "expired",
      "preview-prod-lookalike": "protected",
      "preview-untagged": "invalid",
      production: "protected",
      staging: "protected",
    });
    const reads = (await fake.calls()).filter((call) => call.args[1] === "output");
    expect(reads.map((call) => call.args[4]).sort()).toEqual([
      "acme/parity/preview-other-org",
      "preview-alive",
      "preview-expired",
      "preview-old-program",
      "preview-prod-lookalike",
      "preview-untagged",
    ]);
    // Run in the project directory, non-interactively, never asking for secrets.
    for (const call of await fake.calls()) {
      expect(call.cwd).toBe(project);
      expect(call.nonInteractive).toBe(true);
    }
    expect(reads.every((call) => call.args.includes("--show-secrets=false"))).toBe(true);
    expect(await fake.mutations()).toEqual([]);
    expect(list.exitCode).toBe(0);
    expect(list.stacks.find((s) => s.stack === "preview-alive")).toEqual({
      stack: "preview-alive",
      state: "alive",
      expiresAt: "2026-03-12T06:00:00Z",
      branch: "feature/alive",
    });
  });

  it("prints when each preview expires and why the others are left alone", async () => {
    const text = formatPreviewList(await listPreviews(await setup(PROJECT)));
    expect(text).toContain("preview-alive: kept until 2026-03-12T06:00:00Z (in 2d 6h, branch feature/alive)");
    expect(text).toContain("preview-expired: expired 2026-03-09T00:00:00Z (1d ago, branch feature/expired)");
    expect(text).toContain("preview-untagged: kept, NEEDS A LOOK: no expiresAt output, branch legacy");
    expect(text).toContain("preview-prod-lookalike: protected, never reaped (its tier output is production)");
    expect(text).toContain("production: protected, never reaped (production/staging stack name)");
    expect(text).toContain("1 other stack (not previews) left out.");
    expect(text).not.toMatch(/^ {2}dev/m);
  });

  it("passes --organization to stack ls", async () => {
    await listPreviews({ ...(await setup({ stacks: [] })), organization: "acme" });
    expect((await fake.calls()).map((call) => call.args)).toEqual([
      ["stack", "ls", "--json", "--organization", "acme"],
    ]);
  });

  it("a failing stack ls is an error naming the stack list (nothing else is attempted)", async () => {
    const attempt = listPreviews(await setup({ stacks: [], failList: "PULUMI_ACCESS_TOKEN must be set" }));
    await expect(attempt).rejects.toBeInstanceOf(EnvironmentReadError);
    await expect(attempt).rejects.toThrow(
      /could not read the Pulumi stack list: pulumi stack ls --json failed: .*PULUMI_ACCESS_TOKEN must be set/,
    );
  });

  it("without the pulumi CLI says how to get it", async () => {
    const empty = await mkdtemp(join(tmpdir(), "parity-no-pulumi-"));
    try {
      await expect(listPreviews({ path: empty, now: NOW })).rejects.toThrow(
        /pulumi CLI is not on PATH \(install it/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("parity previews reap", () => {
  it("destroys then removes each expired preview, and touches nothing else", async () => {
    const progress: string[] = [];
    const result = await reapPreviews({
      ...(await setup(PROJECT)),
      onProgress: (line) => progress.push(line),
    });
    expect(await fake.mutations()).toEqual([
      ...destroyAndRemove("acme/parity/preview-other-org"),
      ...destroyAndRemove("preview-expired"),
      ...destroyAndRemove("preview-old-program"),
    ]);
    expect(result.exitCode).toBe(0);
    const outcomes = Object.fromEntries(result.stacks.map((s) => [s.decision.stack, s.outcome]));
    expect(outcomes).toMatchObject({
      "preview-expired": "destroyed",
      "preview-alive": "kept",
      "preview-untagged": "kept",
      "preview-prod-lookalike": "kept",
      production: "kept",
      staging: "kept",
      dev: "kept",
    });
    expect(progress).toContain("preview-expired: pulumi destroy --yes --stack preview-expired");
    expect(progress).toContain("preview-expired: destroyed and removed");
    const text = formatReapResult(result);
    expect(text).toContain("Destroyed: 3 expired previews");
    expect(text).toContain("Kept: 5");
    expect(text).toContain("preview-alive: kept until 2026-03-12T06:00:00Z");
    expect(text).toMatch(/OK$/);
  });

  it("a preview whose first up failed (no outputs) is reaped by its parity:expires-at stack tag", async () => {
    const result = await reapPreviews(
      await setup({
        stacks: [{ name: "preview-failed-up" }, { name: "preview-failed-recent" }, { name: "preview-bare" }],
        outputs: { "preview-failed-up": {}, "preview-failed-recent": {}, "preview-bare": {} },
        tags: {
          "preview-failed-up": { "parity:expires-at": "2026-03-09T00:00:00Z" },
          "preview-failed-recent": { "parity:expires-at": "2026-03-15T00:00:00Z" },
        },
      }),
    );
    expect(await fake.mutations()).toEqual(destroyAndRemove("preview-failed-up"));
    const states = Object.fromEntries(result.stacks.map((s) => [s.decision.stack, s.decision.state]));
    // Without outputs or the tag a person still decides.
    expect(states).toEqual({
      "preview-failed-up": "expired",
      "preview-failed-recent": "alive",
      "preview-bare": "invalid",
    });
  });

  it("a failed destroy is reported, its stack is not removed, the others are still reaped, exit 2", async () => {
    const result = await reapPreviews(
      await setup({
        ...PROJECT,
        failDestroy: {
          "preview-expired": "deleting RDS DB Instance (shop-pv-expired): InvalidDBInstanceState",
        },
      }),
    );
    expect(await fake.mutations()).toEqual([
      ...destroyAndRemove("acme/parity/preview-other-org"),
      "pulumi destroy --yes --stack preview-expired",
      ...destroyAndRemove("preview-old-program"),
    ]);
    expect(result.exitCode).toBe(2);
    const failed = result.stacks.find((s) => s.decision.stack === "preview-expired");
    expect(failed).toMatchObject({
      outcome: "failed",
      error: expect.stringMatching(
        /^pulumi destroy --yes --stack preview-expired failed: .*InvalidDBInstanceState/,
      ),
    });
    const text = formatReapResult(result);
    expect(text).toContain("Destroyed: 2 expired previews");
    expect(text).toContain("Failed: 1 (the others were still processed)");
    expect(text).toMatch(/Exit 2: 1 failed, 0 unreadable/);
  });

  it("a stack whose outputs cannot be read is kept and reported, exit 2", async () => {
    const result = await reapPreviews(
      await setup({
        stacks: [{ name: "preview-broken" }, { name: "preview-expired" }],
        outputs: {
          "preview-broken": "the stack's state could not be decrypted",
          "preview-expired": PROJECT.outputs?.["preview-expired"] ?? {},
        },
      }),
    );
    expect(await fake.mutations()).toEqual(destroyAndRemove("preview-expired"));
    expect(result.exitCode).toBe(2);
    expect(result.stacks[0]).toMatchObject({
      outcome: "kept",
      decision: {
        stack: "preview-broken",
        state: "unreadable",
        reason: expect.stringContaining("decrypted"),
      },
    });
    expect(formatReapResult(result)).toContain("preview-broken: could not read its outputs:");
    expect((await listPreviews({ path: fake.dir, cwd: project, now: NOW })).exitCode).toBe(2);
  });

  it("--dry-run changes nothing and lists the commands it would run", async () => {
    const result = await reapPreviews({ ...(await setup(PROJECT)), dryRun: true });
    expect(await fake.mutations()).toEqual([]);
    expect(result.exitCode).toBe(0);
    const wouldDestroy = result.stacks
      .filter((s) => s.outcome === "would-destroy")
      .map((s) => s.decision.stack);
    expect(wouldDestroy).toEqual(["acme/parity/preview-other-org", "preview-expired", "preview-old-program"]);
    const text = formatReapResult(result);
    expect(text).toContain("Would destroy (dry run, nothing changed): 3 expired previews");
    expect(text).toContain("      pulumi destroy --yes --stack preview-expired");
    expect(text).toContain("      pulumi stack rm --yes preview-expired");
  });

  it("an expired preview with an update in progress waits for the next run", async () => {
    const result = await reapPreviews(
      await setup({
        stacks: [{ name: "preview-expired", updateInProgress: true }],
        outputs: { "preview-expired": PROJECT.outputs?.["preview-expired"] ?? {} },
      }),
    );
    expect(await fake.mutations()).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.stacks[0]?.decision).toMatchObject({ state: "busy" });
  });

  it("the expiry is decided as of --now", async () => {
    const early = await reapPreviews({ ...(await setup(PROJECT)), now: new Date("2026-03-01T00:00:00Z") });
    expect(await fake.mutations()).toEqual([]);
    expect(early.stacks.filter((s) => s.decision.state === "alive")).toHaveLength(4);
  });
});
