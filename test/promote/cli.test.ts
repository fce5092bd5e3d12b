// parity promote and parity undo through the real CLI entry, with the real signed record log (a
// directory, the fixed test key): exit codes, what is printed first, the log verifying, the
// Pulumi stack's preview over the fake CLI, and that no config value or password is ever printed.
import { existsSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { promoteCommand } from "../../audit/cli/promote/command.ts";
import { openRecordLog } from "../../audit/promote/record/record-log.ts";
import { loadVerifier } from "../../audit/promote/record/signing-key.ts";
import { verifyLog } from "../../audit/promote/record/verify-log.ts";
import { fakePulumi } from "../previews/fake-pulumi.ts";
import { privateKeyCopy, TEST_PUBLIC_KEY } from "../promote-record/support/records.ts";
import { runCli } from "../support/cli.ts";
import { query, testedMajors } from "../support/databases.ts";
import { BASE, columnsOf, makePair, STAGING_CHANGE } from "./support.ts";

const major = testedMajors().at(-1) ?? 15;
const SECRET_VALUE = "sk_live_do-not-print-me";
const PASSWORD = "pa55-do-not-print";
const ENV_FILES = {
  "staging.env": `DATABASE_POOL=5\nSTRIPE_KEY=${SECRET_VALUE}\n`,
  "production.env": "DATABASE_POOL=20\n",
};

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
}

/** A pair whose config has the promotion block: a log directory and a 0600 copy of the test key. */
async function promotable(sql = { staging: BASE + STAGING_CHANGE, production: BASE }, extra = "") {
  const pair = await makePair(major, sql, "", ENV_FILES);
  await privateKeyCopy(pair.dir);
  const text = [
    "baseline: production",
    "environments:",
    "  production:",
    `    database: { url: "${withPassword(pair.production.url)}" }`,
    "    config: { dotenv: { file: production.env } }",
    "  staging:",
    `    database: { url: "${withPassword(pair.staging.url)}" }`,
    "    config: { dotenv: { file: staging.env } }",
    "promotion:",
    "  log: records",
    "  signingKey: { file: signing.pem }",
    extra,
    "",
  ].join("\n");
  await writeFile(pair.configFile, text);
  return pair;
}

function noSecrets(run: { stdout: string; stderr: string }) {
  for (const secret of [SECRET_VALUE, PASSWORD]) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

describe("parity promote (CLI)", () => {
  it("--dry-run prints the preview (plan, hash, config key names) and writes nothing", async () => {
    const pair = await promotable();
    const run = await runCli(
      "promote",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      pair.configFile,
      "--dry-run",
    );
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("parity promote · preview · staging → production");
    expect(run.stdout).toMatch(/plan sha256: [0-9a-f]{64}/);
    expect(run.stdout).toContain("loyalty_tier");
    expect(run.stdout).toContain("+ STRIPE_KEY  (plain, from dotenv:staging.env)");
    expect(run.stdout).toContain("does not write them");
    expect(run.stdout).toContain("dry run: nothing applied");
    noSecrets(run);
    expect(existsSync(join(pair.dir, "records"))).toBe(false);
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
  });

  it("applies, prints the record id, hash and log, and the log verifies; undo restores the schema", async () => {
    const pair = await promotable();
    const run = await runCli(
      "promote",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      pair.configFile,
      "--approved-by",
      "alice",
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    noSecrets(run);
    const id = /record ([0-9a-f-]{36}) \(promote, applied\) hash [0-9a-f]{64} appended to/.exec(
      run.stdout,
    )?.[1];
    expect(id).toBeDefined();
    // The preview came first, the outcome after it.
    expect(run.stdout.indexOf("plan sha256")).toBeLessThan(run.stdout.indexOf("✔ promoted"));
    expect(await columnsOf(pair.production.url)).toContain("loyalty_tier");
    const log = openRecordLog(join(pair.dir, "records"));
    const [record] = await log.list();
    expect(record?.body).toMatchObject({ id, approvers: [{ name: "alice", source: "command-line" }] });
    expect(record?.body.configChanges).toEqual([
      { key: "STRIPE_KEY", source: "dotenv:staging.env", type: "plain" },
    ]);
    expect(JSON.stringify(record)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(record)).not.toContain(PASSWORD);

    const undone = await runCli("undo", id as string, "--config", pair.configFile);
    expect(undone.exitCode, undone.stdout + undone.stderr).toBe(0);
    expect(undone.stdout).toContain("back to its pre-promotion state");
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    const verified = await verifyLog(log, await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY }));
    expect(verified.problems).toEqual([]);
    expect(verified.records).toBe(2);

    const again = await runCli("undo", id as string, "--config", pair.configFile);
    expect(again.exitCode).toBe(1);
    const unknown = await runCli("undo", "00000000-0000-4000-8000-000000000000", "--config", pair.configFile);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("no record with that id");
  });

  it("exit 2 without a promotion log or key, naming the missing config key, and nothing changed", async () => {
    const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
    const run = await runCli(
      "promote",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      pair.configFile,
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("promotion.log");
    expect(run.stderr).toContain("promotion.signingKey");
    expect(run.stdout).toBe("");
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    const bad = await runCli(
      "promote",
      "--from",
      "staging",
      "--to",
      "nowhere",
      "--config",
      pair.configFile,
      "--dry-run",
    );
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("--to nowhere");
  });

  it("exit 1 on lint errors without --accept-risk, 0 with it; exit 1 and a failed record on a late failure", async () => {
    const pair = await promotable(
      { staging: BASE + STAGING_CHANGE, production: `${BASE} analyze public.customers;` },
      "lint: { smallTableRows: 0, errorAfterSeconds: 0.0000001, warningAfterSeconds: 0.00000001 }",
    );
    const refused = await runCli(
      "promote",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      pair.configFile,
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain("lint/create-index-not-concurrently");
    expect(refused.stdout).toContain("promotion refused; nothing was done");
    expect(existsSync(join(pair.dir, "records"))).toBe(false);
    // Make the apply fail late: the index now needs a unique key production's data breaks.
    await query(
      pair.staging.url,
      "drop index customers_loyalty_tier_idx; create unique index customers_note_key on public.customers (note)",
    );
    await query(pair.production.url, "update public.customers set note = 'same'");
    const failed = await runCli(
      "promote",
      "--from",
      "staging",
      "--to",
      "production",
      "--config",
      pair.configFile,
      "--accept-risk",
      "lint/create-index-not-concurrently",
      "--reporter",
      "json",
    );
    expect(failed.exitCode).toBe(1);
    noSecrets(failed);
    noSecrets(refused);
    const json = JSON.parse(failed.stdout) as {
      status: string;
      record: { body: { outcome: string; acceptedRisks: unknown[] } };
    };
    expect(json.status).toBe("failed");
    expect(json.record.body.outcome).toBe("failed");
    expect(json.record.body.acceptedRisks).toHaveLength(1);
    expect(await columnsOf(pair.production.url)).not.toContain("loyalty_tier");
    expect(await readdir(join(pair.dir, "records"))).toHaveLength(1);
  });

  it("runs the Pulumi stack's preview --save-plan when the target names a stack", async () => {
    const pulumi = await fakePulumi({
      stacks: [],
      previews: { "acme/shop/production": "~ aws:rds:Instance shop update [diff: ~instanceClass]\n" },
    });
    try {
      const pair = await makePair(major, { staging: BASE + STAGING_CHANGE, production: BASE });
      const text = (await import("node:fs/promises")).readFile(pair.configFile, "utf8");
      await writeFile(
        pair.configFile,
        (await text).replace(
          "  production:\n",
          '  production:\n    pulumi: { stack: "acme/shop/production" }\n',
        ),
      );
      let printed = "";
      const { result } = await promoteCommand({
        from: "staging",
        to: "production",
        config: pair.configFile,
        dryRun: true,
        pulumiPath: pulumi.dir,
        write: (chunk) => {
          printed += chunk;
        },
      });
      expect(result.preview.pulumi).toMatchObject({ status: "previewed", stack: "acme/shop/production" });
      expect(printed).toContain("~ aws:rds:Instance shop update");
      const calls = await pulumi.calls();
      expect(calls[0]?.args.slice(0, 4)).toEqual([
        "preview",
        "--stack",
        "acme/shop/production",
        "--save-plan",
      ]);
      expect(calls[0]?.nonInteractive).toBe(true);
      const planFile = result.preview.pulumi?.status === "previewed" ? result.preview.pulumi.planFile : "";
      expect(existsSync(planFile)).toBe(true);
    } finally {
      await pulumi.remove();
    }
  });

  it("records the pull request's approving reviewers when run in GitHub Actions", async () => {
    const reviews = [
      { id: 1, user: { login: "bob" }, state: "APPROVED", submitted_at: "2026-12-01T17:55:00Z" },
      { id: 2, user: { login: "carol" }, state: "COMMENTED", submitted_at: "2026-12-01T17:56:00Z" },
    ];
    const github = createServer((req, res) => {
      const ok =
        req.headers.authorization === "Bearer ghs_test" &&
        req.url?.startsWith("/repos/acme/shop/pulls/7/reviews");
      res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? reviews : { message: "Not Found" }));
    });
    await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
    try {
      const pair = await promotable();
      const event = join(pair.dir, "event.json");
      await writeFile(event, JSON.stringify({ pull_request: { number: 7 } }));
      const { result } = await promoteCommand({
        from: "staging",
        to: "production",
        config: pair.configFile,
        approvedBy: ["alice"],
        variables: {
          ...process.env,
          GITHUB_ACTIONS: "true",
          GITHUB_EVENT_PATH: event,
          GITHUB_REPOSITORY: "acme/shop",
          GITHUB_TOKEN: "ghs_test",
          GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
        },
      });
      expect(result.status).toBe("applied");
      expect(result.record?.body.approvers).toEqual([
        { name: "alice", source: "command-line" },
        expect.objectContaining({ name: "bob", source: "github-review", pullRequest: "acme/shop#7" }),
      ]);
    } finally {
      github.closeAllConnections();
      await new Promise((resolve) => github.close(resolve));
    }
  });
});
