// Runs parity's schema audit over migra's fixture corpus (see ../shared/peers/README.md):
//   npm run test:peers -- ../shared/peers/migra-fixtures
// For each case: load a.sql and b.sql into fresh databases on an embedded PostgreSQL 15, audit
// a (baseline) against b (target), and check that parity reports drift naming every object
// migra's expected.sql touches; then audit a against a fresh second load of a.sql, which must
// report nothing at all. Not a vitest test: it starts its own server and needs the corpus.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Finding } from "../../audit/core/finding.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import {
  compareSnapshots,
  type IntrospectOptions,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createDatabase, type EmbeddedServer, startEmbeddedPostgres } from "../support/embedded-postgres.ts";
import { type RoundTrip, roundTrip } from "../support/round-trip.ts";
import { type ExpectedObject, expectedObjects, isCovered } from "./expected-objects.ts";

/**
 * Objects a case's expected.sql touches that are, provably, identical in a.sql and b.sql, so
 * naming them would be false drift. Each is verified on every run by a catalog query that must
 * return the same rows in both databases; if they ever differ, the object is required again.
 */
const CORPUS_DEFECTS: { case: string; object: string; reason: string; sameIn: string }[] = [
  {
    case: "generated_added",
    object: "public.demo_gencol.the_column",
    reason:
      "a.sql and b.sql declare demo_gencol.the_column identically (plain nullable text, not generated); " +
      "the case's expected.sql (`drop expression`) does not match its own a.sql",
    sameIn: `select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated, a.attidentity,
                    pg_get_expr(d.adbin, d.adrelid)
             from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
             where a.attrelid = 'public.demo_gencol'::regclass and a.attname = 'the_column'`,
  },
];

/** The fixtures are loaded by this role, not by the superuser `postgres` that their GRANTs name. */
const FIXTURE_OWNER = "parity_fixture_owner";

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
  /** Expected objects excused as corpus defects, with the reason. */
  notes: string[];
  error?: string;
  passed: boolean;
  /** The plan b → a applied to a fresh a, and a audited against b again. */
  roundTrip?: RoundTrip;
  /** The same with a on PostgreSQL 13: planned from b's 15 model, applied on 13. */
  roundTripOlder?: RoundTrip;
}

async function runCase(
  server: EmbeddedServer,
  older: EmbeddedServer,
  dir: string,
  name: string,
  index: number,
): Promise<CaseResult> {
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
    notes: [],
    passed: false,
  };
  try {
    const prefix = `peer${index}`;
    const [urlA, urlB, urlA2] = await Promise.all([
      loadAsOwner(server, `${prefix}_a`, a ?? ""),
      loadAsOwner(server, `${prefix}_b`, b ?? ""),
      loadAsOwner(server, `${prefix}_a2`, a ?? ""),
    ]);
    const options = CASE_OPTIONS[name] ?? {};
    const [snapA, snapB, snapA2] = await Promise.all(
      [urlA, urlB, urlA2].map((url) => introspectDatabase(url as string, options)),
    );
    if (!snapA || !snapB || !snapA2) throw new Error("introspection returned nothing");
    result.findings = compareSnapshots(snapA, snapB, { baseline: "a", target: "b" });
    result.selfFindings = compareSnapshots(snapA, snapA2, { baseline: "a", target: "a-again" });
    result.drift = result.findings.some((finding) => finding.severity !== "info");
    const uncovered = expected.filter((object) => !isCovered(object, result.findings));
    result.missing = [];
    for (const object of uncovered) {
      const defect = CORPUS_DEFECTS.find((entry) => entry.case === name && entry.object === object.name);
      if (defect && (await sameRows(urlA, urlB, defect.sameIn))) {
        result.notes.push(`${object.kind} ${object.name}: identical in a and b (${defect.reason})`);
      } else {
        result.missing.push(object);
      }
    }
    const driftOk = expectedSql?.trim() === "" || result.drift;
    result.passed = driftOk && result.missing.length === 0 && result.selfFindings.length === 0;
    // The second load of a is done with: the plan turns it into b.
    result.roundTrip = await roundTrip(urlA2 as string, urlB as string, options, ownerUrl(urlA2 as string));
    const urlOlder = await loadAsOwner(older, `${prefix}_a13`, a ?? "");
    result.roundTripOlder = await roundTrip(urlOlder, urlB as string, options, ownerUrl(urlOlder));
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}

function ownerUrl(url: string): string {
  const owner = new URL(url);
  owner.username = FIXTURE_OWNER;
  return owner.toString();
}

async function loadAsOwner(server: EmbeddedServer, name: string, sql: string): Promise<string> {
  await createDatabase(server, name);
  const url = new URL(server.url(name));
  url.username = FIXTURE_OWNER;
  await withClient(url.toString(), (client) => client.query(sql));
  return server.url(name);
}

async function sameRows(urlA: string, urlB: string, sql: string): Promise<boolean> {
  const [rowsA, rowsB] = await Promise.all(
    [urlA, urlB].map((url) =>
      withClient(url, async (client) => JSON.stringify((await client.query(sql)).rows)),
    ),
  );
  return rowsA === rowsB;
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

  const [server, older] = await Promise.all([
    startEmbeddedPostgres({ major: 15 }),
    startEmbeddedPostgres({ major: 13 }),
  ]);
  const results: CaseResult[] = [];
  try {
    // a.sql of `rls` grants to this role; `postgres` is the initdb superuser already.
    // Loading as a separate owner keeps the fixtures' GRANTs to `postgres` real ACL entries.
    for (const each of [server, older]) {
      await withClient(each.url(), (client) =>
        client.query(`CREATE ROLE schemainspect_test_role; CREATE ROLE ${FIXTURE_OWNER} SUPERUSER LOGIN`),
      );
    }
    for (const [index, name] of selected.entries())
      results.push(await runCase(server, older, dir, name, index));
  } finally {
    await Promise.all([server.stop(), older.stop()]);
  }

  console.log(
    `${pad("case", 26)} ${pad("result", 6)} ${pad("findings", 8)} ${pad("expected", 8)} ${pad("covered", 7)} ${pad("self", 4)} ${pad("round trip", 15)} onto 13`,
  );
  for (const result of results) {
    console.log(
      `${pad(result.name, 26)} ${pad(result.passed ? "pass" : "FAIL", 6)} ${pad(String(result.findings.length), 8)} ${pad(String(result.expected.length), 8)} ${pad(String(result.expected.length - result.missing.length), 7)} ${pad(String(result.selfFindings.length), 4)} ${pad(result.roundTrip?.outcome ?? "-", 15)} ${result.roundTripOlder?.outcome ?? "-"}`,
    );
    for (const [label, trip] of [
      ["round trip", result.roundTrip],
      ["onto 13", result.roundTripOlder],
    ] as const) {
      if (!trip || trip.outcome === "pass") continue;
      if (trip.error) console.log(`    ${label}: ${trip.error}`);
      for (const refusal of trip.refusals)
        console.log(`    ${label} refused: ${refusal.objectType} ${refusal.name}: ${refusal.reason}`);
      for (const finding of trip.findings)
        console.log(`    ${label}, left after the plan: ${finding.ruleId} ${finding.message}`);
      if (process.env.PARITY_PEERS_VERBOSE)
        for (const sql of trip.statements) console.log(`    | ${sql.replaceAll("\n", "\n    | ")}`);
    }
    if (result.error) console.log(`    error: ${result.error}`);
    for (const note of result.notes) console.log(`    excused: ${note}`);
    if (!result.passed && !result.error) {
      if (!result.drift) console.log("    no drift reported");
      for (const object of result.missing) console.log(`    not named: ${object.kind} ${object.name}`);
      for (const finding of result.selfFindings)
        console.log(
          `    a vs a: ${finding.ruleId} ${finding.location.objectType} ${finding.location.object}`,
        );
    }
    if (process.env.PARITY_PEERS_VERBOSE) {
      for (const finding of result.findings) console.log(`    ${finding.ruleId} ${finding.message}`);
    }
  }
  const passed = results.filter((result) => result.passed).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  let tripsOk = true;
  for (const [label, pick] of [
    ["round trip (15 → 15)", (result: CaseResult) => result.roundTrip],
    ["round trip (15 → 13)", (result: CaseResult) => result.roundTripOlder],
  ] as const) {
    const trips = results.map((result) => pick(result)?.outcome);
    const count = (outcome: string) => trips.filter((item) => item === outcome).length;
    // A refusal names what parity will not plan: honest, but not a pass.
    console.log(
      `${label}: ${count("pass")}/${results.length} passed, ${count("refused")} refused by name, ${count("failed-to-apply")} failed to apply, ${count("drift-left")} left drift`,
    );
    if (count("failed-to-apply") > 0 || count("drift-left") > 0) tripsOk = false;
  }
  return passed === results.length && tripsOk ? 0 : 1;
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
