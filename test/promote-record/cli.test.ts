// `parity record verify` and `parity record show` through the real CLI entry: exit 0 for an intact
// log, 1 naming a tampered record, 2 for a missing key, a log that is not one (a file, a FIFO: no
// hang), an empty log or a bad flag; text and JSON output; the config's promotion: block; S3.
import { execFileSync } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendRecord } from "../../audit/promote/record/append-record.ts";
import { openRecordLog } from "../../audit/promote/record/record-log.ts";
import { loadSigner, type RecordSigner } from "../../audit/promote/record/signing-key.ts";
import { useDummyAwsEnvironment } from "../aws-server/credentials.ts";
import { type AwsTestServer, startAwsTestServer } from "../aws-server/server.ts";
import { runCli } from "../support/cli.ts";
import { privateKeyCopy, sampleBody, TEST_PUBLIC_KEY, tempDir } from "./support/records.ts";

let dir: string;
let log: string;
let keyFile: string;
let signer: RecordSigner;
const ids: string[] = [];

beforeAll(async () => {
  dir = await tempDir();
  keyFile = await privateKeyCopy(dir);
  signer = await loadSigner({ file: keyFile });
  log = join(dir, "records");
  const records = openRecordLog(log);
  const first = await appendRecord(
    records,
    sampleBody({
      approvers: [
        { name: "alice", source: "command-line" },
        { name: "octocat", source: "github-review", at: "2026-12-01T17:55:00Z", pullRequest: "acme/shop#42" },
      ],
    }),
    signer,
  );
  ids.push(first.body.id);
  const undo = await appendRecord(
    records,
    sampleBody({
      kind: "undo",
      undoes: first.body.id,
      undoMethod: "reverse-plan",
      reversePlan: null,
      reversePlanSha256: null,
      snapshot: null,
    }),
    signer,
  );
  ids.push(undo.body.id);
});

describe("parity record verify", () => {
  it("exits 0 for an intact log, one line per record and the verdict", async () => {
    const run = await runCli("record", "verify", log, "--public-key", TEST_PUBLIC_KEY);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^ok +000001\\.json +promote +${ids[0]} +alice, octocat \\(GitHub review\\) +2026-12-01T18:00:04\\.250Z +plan aaaaaaaaaaaa +applied$`,
      ),
    );
    expect(lines[1]).toMatch(new RegExp(`^ok +000002\\.json +undo +${ids[1]} `));
    expect(lines.at(-1)).toMatch(
      /^verified: .*records: 2 records, every signature and the hash chain hold; head [0-9a-f]{64}$/,
    );
  });

  it("exits 1 naming a changed record", async () => {
    const copy = join(dir, "tampered");
    await cp(log, copy, { recursive: true });
    const file = join(copy, "000001.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"name": "alice"', '"name": "mallory"'));
    const run = await runCli("record", "verify", copy, "--public-key", TEST_PUBLIC_KEY);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^FAIL +000001\.json/m);
    expect(run.stdout).toContain(
      `000001.json (id ${ids[0]}): its body does not match its hash: the record was changed`,
    );
    expect(run.stdout.trim().split("\n").at(-1)).toMatch(/^FAILED: .*tampered: 1 problem in 2 records$/);
  });

  it("prints JSON with --reporter json", async () => {
    const run = await runCli("record", "verify", log, "--public-key", TEST_PUBLIC_KEY, "--reporter", "json");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, records: 2, problems: [] });
    expect(report.entries.map((e: { id: string }) => e.id)).toEqual(ids);
  });

  it("takes the log and the key from the config's promotion: block", async () => {
    const config = join(dir, "parity.config.yaml");
    await writeFile(
      config,
      `baseline: production\nenvironments:\n  production: { database: { url: "postgres://x/p" } }\n  staging: { database: { url: "postgres://x/s" } }\npromotion:\n  log: records\n  signingKey: { file: ${keyFile} }\n`,
    );
    const run = await runCli("record", "verify", "--config", config);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
  });

  it.each([
    [
      "a missing public key file",
      () => ["record", "verify", log, "--public-key", join(dir, "nope.pub")],
      /cannot read the public key file .*nope\.pub: no such file/,
    ],
    [
      "a log path that is a file",
      () => ["record", "verify", keyFile, "--public-key", TEST_PUBLIC_KEY],
      /cannot read the record log .*signing\.pem: ENOTDIR/,
    ],
    [
      "a log that does not exist",
      () => ["record", "verify", join(dir, "nowhere"), "--public-key", TEST_PUBLIC_KEY],
      /has no records \(is the path right\?\)/,
    ],
    [
      "a bad --head",
      () => ["record", "verify", log, "--public-key", TEST_PUBLIC_KEY, "--head", "abc"],
      /--head abc is not a record hash/,
    ],
    [
      "a bad reporter",
      () => ["record", "verify", log, "--public-key", TEST_PUBLIC_KEY, "--reporter", "xml"],
      /--reporter xml: use one of text, json/,
    ],
    [
      "a config without promotion:",
      () => ["record", "verify", log, "--config", join(dir, "bare.yaml")],
      /bare\.yaml has no promotion: block/,
    ],
  ])("exits 2 for %s", async (_name, args, message) => {
    await writeFile(
      join(dir, "bare.yaml"),
      `baseline: p\nenvironments:\n  p: { database: { url: "postgres://x/p" } }\n  s: { database: { url: "postgres://x/s" } }\n`,
    );
    const run = await runCli(...args());
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  it("exits 2 for a FIFO as the log, the key or the config, without blocking", async () => {
    const fifo = join(dir, "log.fifo");
    execFileSync("mkfifo", [fifo]);
    for (const args of [
      ["record", "verify", fifo, "--public-key", TEST_PUBLIC_KEY],
      ["record", "verify", log, "--public-key", fifo],
      ["record", "verify", log, "--config", fifo],
    ]) {
      const run = await runCli(...args);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/ENOTDIR|not a regular file/);
    }
  });

  it("exits 1 naming a FIFO planted in the log, without reading it", async () => {
    const copy = join(dir, "with-fifo");
    await cp(log, copy, { recursive: true });
    execFileSync("mkfifo", [join(copy, "000003.json")]);
    const run = await runCli("record", "verify", copy, "--public-key", TEST_PUBLIC_KEY);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("000003.json: cannot be read: not a regular file");
  });

  it("never prints the private key", async () => {
    const run = await runCli(
      "record",
      "verify",
      log,
      "--config",
      join(dir, "parity.config.yaml"),
      "--reporter",
      "json",
    );
    const pem = await readFile(keyFile, "utf8");
    const secret = pem.split("\n")[1] as string;
    expect(run.stdout + run.stderr).not.toContain(secret);
  });
});

describe("parity record show", () => {
  it("prints the last record by default, and one by id prefix, for a person", async () => {
    const last = await runCli("record", "show", log);
    expect(last.exitCode).toBe(0);
    expect(last.stdout).toMatch(
      new RegExp(`^Undo ${ids[1]} \\(reverse-plan\\) of promotion ${ids[0]} — applied`),
    );
    const run = await runCli("record", "show", log, (ids[0] as string).slice(0, 8));
    expect(run.exitCode).toBe(0);
    for (const expected of [
      `Promotion ${ids[0]} — applied`,
      "from:        staging 127.0.0.1:5432/shop_staging, PostgreSQL 15.18, system 7312345678901234567",
      "arn:aws:rds:us-east-1:123456789012:db:shop-production",
      "approved by: alice (command line); octocat (GitHub review on acme/shop#42, 2026-12-01T17:55:00Z)",
      "  1. add column public.orders.email",
      "  FEATURE_CHECKOUT_V2 (String, from ssm:/shop/staging)",
      "  template-database shop_before_promotion, taken 2026-12-01T18:00:01.000Z",
      `  parity undo ${ids[0]}: the reverse plan, 1 statement`,
      "    1. drop column public.orders.email",
      `  parity undo ${ids[0]} --restore: restores template-database shop_before_promotion`,
      `  undone by ${ids[1]} (reverse-plan, applied)`,
    ]) {
      expect(run.stdout).toContain(expected);
    }
  });

  it("prints the record as JSON, and refuses an unknown id", async () => {
    const run = await runCli("record", "show", log, "1", "--reporter", "json");
    expect(JSON.parse(run.stdout)).toMatchObject({ name: "000001.json", body: { id: ids[0] } });
    const missing = await runCli("record", "show", log, "ffffffff");
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no record ffffffff in/);
  });
});

describe("parity record show picks the most exact match", () => {
  it("a sequence number, then a file name, then a whole id, and only then an id's first characters", async () => {
    const numbered = join(await tempDir(), "log");
    const numberedLog = openRecordLog(numbered);
    // The first record's id starts with 2, the second's with 1: `1` is still the first record.
    const first = sampleBody({ id: "2aaaaaaa-0000-4000-8000-000000000001" });
    const second = sampleBody({ id: "1bbbbbbb-0000-4000-8000-000000000002" });
    await appendRecord(numberedLog, first, signer);
    await appendRecord(numberedLog, second, signer);
    const idOf = async (wanted: string) => {
      const run = await runCli("record", "show", numbered, wanted, "--reporter", "json");
      return run.exitCode === 0 ? (JSON.parse(run.stdout) as { body: { id: string } }).body.id : run.exitCode;
    };
    expect(await idOf("1")).toBe(first.id);
    expect(await idOf("000002")).toBe(second.id);
    expect(await idOf("000002.json")).toBe(second.id);
    expect(await idOf("1bbb")).toBe(second.id);
    expect(await idOf("2aaaaaaa")).toBe(first.id);
    expect(await idOf(first.id.toUpperCase())).toBe(first.id);
    expect(await idOf("3")).toBe(2);
  });
});

describe("an S3 log through the CLI", () => {
  let server: AwsTestServer;
  beforeAll(async () => {
    useDummyAwsEnvironment();
    server = await startAwsTestServer({ s3: { buckets: { audit: {} } } });
    process.env.AWS_ENDPOINT_URL_S3 = server.url;
    const s3Log = openRecordLog("s3://audit/promotions");
    await appendRecord(s3Log, sampleBody(), signer);
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_S3;
    await server.close();
  });

  it("exits 2, not 1, when a record cannot be read (access denied is not tampering)", async () => {
    server.faults.add({ service: "s3", action: "GetObject", kind: "access-denied" });
    const run = await runCli("record", "verify", "s3://audit/promotions", "--public-key", TEST_PUBLIC_KEY);
    server.faults.clear();
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /cannot verify s3:\/\/audit\/promotions: 1 record\(s\) could not be read \(000001\.json: cannot be read: AccessDenied/,
    );
  });

  it("verifies it, path-style against the endpoint from the environment", async () => {
    const run = await runCli("record", "verify", "s3://audit/promotions", "--public-key", TEST_PUBLIC_KEY);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(server.requestsFor("s3", "ListObjectsV2")[0]?.params.path).toBe("/audit/");
  });
});
