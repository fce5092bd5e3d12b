// Runs parity's schema audit over migra's fixture corpus (see ../shared/peers/README.md):
//   npm run test:peers -- ../shared/peers/migra-fixtures
// For each case: load a.sql and b.sql into fresh databases on an embedded PostgreSQL 15, audit
// a (baseline) against b (target), and check that parity reports drift naming every object
// migra's expected.sql touches; then audit a against a fresh second load of a.sql, which must
// report nothing at all. Not a vitest test: it starts its own server and needs the corpus.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { compareSnapshots, type IntrospectOptions, introspectDatabase } from "../../audit/schema/index.ts";
import {
  createDatabase,
  type EmbeddedServer,
  startEmbeddedPostgres,
  withClient,
} from "../../audit/local/embedded-postgres.ts";
import type { Finding } from "../../audit/core/finding.ts";
import { type ExpectedObject, expectedObjects, isCovered } from "./expected-objects.ts";

/** migra's per-case flags, in parity's terms (tests/test_migra.py, pgkit test/fixtures.ts). */
const CASE_OPTIONS: Record<string, IntrospectOptions> = {
  singleschema: { schemas: ["goodschema"] },
  excludeschema: { excludeSchemas: ["excludedschema"] },
  excludemultipleschemas: { excludeSchemas: ["excludedschema1", "excludedschema2"] },
};

interface CaseResult {
  name: string;
  expected: ExpectedObject[];
  missing: ExpectedObject[];
  findings: Finding[];
  selfFindings: Finding[];
  drift: boolean;
  error?: string;
  passed: boolean;
}

async function runCase(server: EmbeddedServer, dir: string, name: string, index: number): Promise<CaseResult> {
  const [a, b, expectedSql] = await Promise.all(
    ["a.sql", "b.sql", "expected.sql"].map((file) => readFile(join(dir, name, file), "utf8")),
  );
  const expected = expectedObjects(expectedSql ?? "");
  const result: CaseResult = {
    name,
    expected,
    missing: [],
    findings: [],
    selfFindings: [],
    drift: false,
    passed: false,
  };
  try {
    const prefix = `peer${index}`;
    const [urlA, urlB, urlA2] = await Promise.all([
      createDatabase(server, `${prefix}_a`, a),
      createDatabase(server, `${prefix}_b`, b),
      createDatabase(server, `${prefix}_a2`, a),
    ]);
    const options = CASE_OPTIONS[name] ?? {};
    const [snapA, snapB, snapA2] = await Promise.all(
      [urlA, urlB, urlA2].map((url) => introspectDatabase(url as string, options)),
    );
    if (!snapA || !snapB || !snapA2) throw new Error("introspection returned nothing");
    result.findings = compareSnapshots(snapA, snapB, { baseline: "a", target: "b" });
    result.selfFindings = compareSnapshots(snapA, snapA2, { baseline: "a", target: "a-again" });
    result.drift = result.findings.some((finding) => finding.severity !== "info");
    result.missing = expected.filter((object) => !isCovered(object, result.findings));
    const driftOk = expectedSql?.trim() === "" || result.drift;
    result.passed = driftOk && result.missing.length === 0 && result.selfFindings.length === 0;
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

async function main(): Promise<number> {
  const dirArgument = process.argv[2];
  if (!dirArgument) {
    console.error("usage: tsx test/peers/run-migra-fixtures.ts <migra-fixtures dir>");
    return 2;
  }
  const dir = resolve(dirArgument);
  if (!existsSync(dir)) {
    console.error(`${dir}: no such directory`);
    return 2;
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const cases = entries
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "a.sql")))
    .map((entry) => entry.name)
    .sort();
  const only = process.argv.slice(3);
  const selected = only.length > 0 ? cases.filter((name) => only.includes(name)) : cases;

  const server = await startEmbeddedPostgres({ major: 15 });
  const results: CaseResult[] = [];
  try {
    // a.sql of `rls` grants to this role; `postgres` is the initdb superuser already.
    await withClient(server.url(), (client) => client.query("CREATE ROLE schemainspect_test_role"));
    for (const [index, name] of selected.entries()) results.push(await runCase(server, dir, name, index));
  } finally {
    await server.stop();
  }

  console.log(
    `${pad("case", 26)} ${pad("result", 6)} ${pad("findings", 8)} ${pad("expected", 8)} ${pad("covered", 7)} self`,
  );
  for (const result of results) {
    console.log(
      `${pad(result.name, 26)} ${pad(result.passed ? "pass" : "FAIL", 6)} ${pad(String(result.findings.length), 8)} ${pad(String(result.expected.length), 8)} ${pad(String(result.expected.length - result.missing.length), 7)} ${result.selfFindings.length}`,
    );
    if (result.error) console.log(`    error: ${result.error}`);
    if (!result.passed && !result.error) {
      if (!result.drift) console.log("    no drift reported");
      for (const object of result.missing) console.log(`    not named: ${object.kind} ${object.name}`);
      for (const finding of result.selfFindings)
        console.log(`    a vs a: ${finding.ruleId} ${finding.location.objectType} ${finding.location.object}`);
    }
    if (process.env.PARITY_PEERS_VERBOSE) {
      for (const finding of result.findings) console.log(`    ${finding.ruleId} ${finding.message}`);
    }
  }
  const passed = results.filter((result) => result.passed).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return passed === results.length ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
