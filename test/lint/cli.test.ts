// `parity lint` through the real CLI entry against a PostgreSQL 13 target: exit codes, bad input
// named precisely (file:line:column for SQL, the key for config, the path for a plan), plans read
// with the plan's schema, the config's lint: thresholds and ignore list, the audit's reporters.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_SCHEMA_VERSION, type PlanFile } from "../../audit/plan/plan-file.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, query, type TestDatabase } from "../support/databases.ts";

let target: TestDatabase;
let dir: string;
const at = (name: string) => join(dir, name);

const CREATE_INDEX =
  "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE INDEX orders_status_idx ON orders (status);\n";

function config(lint = ""): string {
  return [
    "baseline: production",
    "environments:",
    `  production: { database: { url: "${target.url}" } }`,
    `  other: { database: { url: "${target.url}" } }`,
    // 60,000 rows is small by default; these thresholds make it count, to test the paths quickly.
    "lint: { smallTableRows: 1000, errorAfterSeconds: 0.01, warningAfterSeconds: 0.001 }",
    lint,
    "",
  ].join("\n");
}

beforeAll(async () => {
  target = await createTestDatabase(
    13,
    `CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, note text);
     INSERT INTO orders SELECT g, 'new', NULL FROM generate_series(1, 60000) g;
     ANALYZE orders;`,
    { autoDrop: false, prefix: "lint_cli" },
  );
  dir = await mkdtemp(join(tmpdir(), "parity-lint-cli-"));
  await writeFile(at("index.sql"), CREATE_INDEX);
  await writeFile(at("parity.config.yaml"), config());
});

afterAll(async () => {
  await Promise.all([target?.drop(), dir && rm(dir, { recursive: true, force: true })]);
});

const lint = (...args: string[]) => runCli("lint", ...args);

describe("parity lint: verdicts", () => {
  it("exits 1 on an error finding, and never runs the migration", async () => {
    const run = await lint(at("index.sql"), "--against", "production", "--config", at("parity.config.yaml"));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("lint/create-index-not-concurrently");
    expect(run.stdout).toContain("public.orders (60,000 rows");
    expect(run.stdout).toContain(
      "safe rewrite: CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)",
    );
    const indexes = await query(target.url, "SELECT indexname FROM pg_indexes WHERE tablename = 'orders'");
    expect(indexes.map((row) => row.indexname)).toEqual(["orders_pkey"]);
  });

  it("takes a URL for --against, with the default thresholds (60,000 rows is small: exit 0)", async () => {
    const run = await lint(at("index.sql"), "--against", target.url);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/against 127\.0\.0\.1:\d+\/lint_cli_\w+ \(server 13\d{4}\)/);
  });

  it("hides a finding the config's ignore list names, with its reason", async () => {
    const ignoring = config().replace(
      "warningAfterSeconds: 0.001 }",
      "warningAfterSeconds: 0.001,\n  ignore: [{ rule: 'lint/create-index-*', object: public.orders, reason: built in the maintenance window }] }",
    );
    await writeFile(at("ignoring.yaml"), ignoring);
    const run = await lint(at("index.sql"), "--against", "production", "--config", at("ignoring.yaml"));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("1 ignored");
  });

  it("renders the audit's reporters: junit has a test case per migration file", async () => {
    await writeFile(at("second.sql"), "SELECT 1;\n");
    const run = await lint(
      at("index.sql"),
      at("second.sql"),
      "--against",
      "production",
      "--config",
      at("parity.config.yaml"),
      "--reporter",
      "junit",
    );
    expect(run.exitCode).toBe(1);
    // One test case per finding, its class naming the migration file (the audit's JUnit shape).
    expect(run.stdout).toContain(`classname="parity.production.lint ${at("index.sql")}"`);
    // A clean migration file is one passing case; a finding fails with its rule as the type.
    expect(run.stdout).toContain(
      `name="lint ${at("second.sql")}: no findings" classname="parity.production.lint ${at("second.sql")}"`,
    );
    expect(run.stdout).toContain('type="lint/create-index-not-concurrently"');
  });
});

describe("parity lint: bad input exits 2 and names what is wrong", () => {
  it("a SQL syntax error, with file, line and column, before connecting anywhere", async () => {
    await writeFile(
      at("bad.sql"),
      "SET lock_timeout = '1s';\n-- the next line has a typo\nCREATE INDX orders_idx ON orders (status);\n",
    );
    await writeFile(at("bad2.sql"), "SELECT 'é';\nALTER TABLE orders ADD COLUMN x int DEFAULT;\n");
    const run = await lint(
      at("bad.sql"),
      at("bad2.sql"),
      "--against",
      "postgresql://nobody@127.0.0.1:1/none",
    );
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${at("bad.sql")}:3:8: SQL syntax error: syntax error at or near "INDX"`);
    expect(run.stderr).toContain(`${at("bad2.sql")}:2:44: SQL syntax error: syntax error at or near ";"`);
  });

  it("a file that is not there", async () => {
    const run = await lint(at("missing.sql"), "--against", target.url);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${at("missing.sql")}: cannot read the migration: file not found`);
  });

  it("takes rule levels from the config's rules:, as the audit does, and names a typo", async () => {
    await writeFile(
      at("levels.yaml"),
      config('rules:\n  "lint/create-index-not-concurrently": off\n  "lint/*": warning\n'),
    );
    const off = await lint(
      at("index.sql"),
      "--against",
      "production",
      "--config",
      at("levels.yaml"),
      "-r",
      "json",
    );
    expect(off.exitCode).toBe(0);
    const findings = JSON.parse(off.stdout).findings as Array<{ ruleId: string; severity: string }>;
    expect(findings.map((finding) => finding.ruleId)).not.toContain("lint/create-index-not-concurrently");
    expect(findings.every((finding) => finding.severity === "warning")).toBe(true);

    await writeFile(at("typo.yaml"), config('rules:\n  "lint/create-index-not-concurently": off\n'));
    const typo = await lint(at("index.sql"), "--against", "production", "--config", at("typo.yaml"));
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('did you mean "lint/create-index-not-concurrently"');
  });

  it("an environment the config does not have", async () => {
    const run = await lint(at("index.sql"), "--against", "prod", "--config", at("parity.config.yaml"));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--against prod: not a postgres:// URL and not an environment of");
    expect(run.stderr).toContain("(environments: production, other)");
  });

  it("a lint: block with an unknown key or a bad value", async () => {
    await writeFile(
      at("bad-config.yaml"),
      config().replace(
        "smallTableRows: 1000, errorAfterSeconds: 0.01",
        "smallTableRows: -1, errorAfterSecs: 1",
      ),
    );
    const run = await lint(at("index.sql"), "--against", "production", "--config", at("bad-config.yaml"));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('lint: unknown key "errorAfterSecs"');
    expect(run.stderr).toContain("lint.smallTableRows: must be 0 or more");
  });

  it("nothing to lint, or files and --plan together", async () => {
    expect((await lint("--against", target.url)).stderr).toContain("nothing to lint");
    const both = await lint(at("index.sql"), "--plan", at("plan.json"), "--against", target.url);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("not both");
  });

  it("a target that cannot be reached, without its password", async () => {
    const port = await closedPort();
    const run = await lint(at("index.sql"), "--against", `postgresql://app:s3cret@127.0.0.1:${port}/shop`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`127.0.0.1:${port}/shop: could not read the database catalog`);
    expect(run.stderr).not.toContain("s3cret");
  });
});

describe("parity lint --plan", () => {
  const identity = {
    environment: "staging",
    database: "127.0.0.1:5432/shop",
    serverVersionNum: 150004,
    major: 15,
  };
  const plan = (statements: PlanFile["statements"], refusals: PlanFile["refusals"] = []): PlanFile => ({
    schemaVersion: PLAN_SCHEMA_VERSION,
    from: identity,
    to: { ...identity, environment: "production" },
    statements,
    refusals,
  });
  const statement = (sql: string): PlanFile["statements"][number] => ({
    sql,
    summary: sql,
    action: "create",
    objects: [{ objectType: "index", name: "public.orders_note_idx" }],
    hazards: [],
    transactional: true,
  });

  it("lints each planned statement, named by its place in the plan", async () => {
    await writeFile(
      at("plan.json"),
      JSON.stringify(
        plan([
          statement("SET lock_timeout = '1s'"),
          statement("CREATE INDEX orders_note_idx ON orders (note)"),
        ]),
      ),
    );
    const run = await lint(
      "--plan",
      at("plan.json"),
      "--against",
      "production",
      "--config",
      at("parity.config.yaml"),
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `${at("plan.json")}#statements[1]:1:1: CREATE INDEX orders_note_idx on public.orders`,
    );
  });

  it("refuses a file that is not a plan, naming the paths that are wrong", async () => {
    await writeFile(at("not-plan.json"), JSON.stringify({ schemaVersion: 1, statements: [{ sql: 1 }] }));
    const run = await lint("--plan", at("not-plan.json"), "--against", target.url);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${at("not-plan.json")}: not a parity plan`);
    expect(run.stderr).toContain("statements.0.sql:");
  });

  it("refuses a refused plan, and a planned statement that does not parse", async () => {
    await writeFile(
      at("refused.json"),
      JSON.stringify(
        plan(
          [],
          [{ objectType: "table", name: "public.orders", reason: "a column type parity cannot express" }],
        ),
      ),
    );
    const refused = await lint("--plan", at("refused.json"), "--against", target.url);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("table public.orders: a column type parity cannot express");
    await writeFile(at("garbled.json"), JSON.stringify(plan([statement("CREATE INDEX ON")])));
    const garbled = await lint("--plan", at("garbled.json"), "--against", target.url);
    expect(garbled.exitCode).toBe(2);
    expect(garbled.stderr).toContain(`${at("garbled.json")}#statements[0]:1:16: SQL syntax error`);
  });
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
