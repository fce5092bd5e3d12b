// Whole-audit benchmark: `parity audit` exactly as a user runs it (bin/parity.js, default checks,
// json reporter, a parity.config.yaml) against pg_dump --schema-only ×2 + diff and @pgkit/migra,
// each a separate process, on three pairs per size (bench/audit-fixture.ts): a template clone, two
// databases built separately, and PostgreSQL 13 against 15. Also times the schema check alone
// (the floor of the catalog work), records peak RSS (/usr/bin/time) and, in a pass of its own,
// the most relation locks each tool held at once per database (pg_locks sampled while it runs).
//   npm run bench -- audit [--tables 2000,10000] [--runs 3] [--migra-max 2000] [--no-compare-reads]
//                          [--before <another checkout>/bin/parity.js]
// Targets (whole process, median of --runs): parity ≤ 0.40× pg_dump+diff at 2,000 tables for
// every pair, ≤ 0.30× at 10,000; 10,000 tables ≤ 5× the 2,000-table time; peak RSS ≤ 250 MB.
// --compare-reads (default on) checks that the data check's findings are the same from the
// old read (test/support/legacy-data-read.ts) and the new one on every pair.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { dataCheck } from "../audit/drift/checks/data/index.ts";
import type { DataSnapshot } from "../audit/drift/checks/data/types.ts";
import { startEmbeddedPostgres } from "../test/support/embedded-postgres.ts";
import { readLegacyDataSnapshot } from "../test/support/legacy-data-read.ts";
import { type AuditPairs, buildAuditPairs } from "./audit-fixture.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const PG_DUMP = process.env.PG_DUMP ?? "/usr/bin/pg_dump";
const TIME = "/usr/bin/time";
const MIGRA = join(root, "node_modules/@pgkit/migra/dist/command.js");
const PARITY = join(root, "bin/parity.js");
const PAIRS = ["clone", "separate", "cross"] as const;
type PairName = (typeof PAIRS)[number];
const TARGETS = { 2000: 0.4, 10000: 0.3 } as Record<number, number>;

interface Run {
  ms: number;
  rssKb: number;
  output: string;
}

/** Runs a process under /usr/bin/time for its peak RSS; rejects on an exit code not in okCodes. */
function runProcess(command: string, args: string[], okCodes = [0]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ["-f", "@@rss %M", command, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      const rss = /@@rss (\d+)/.exec(errors);
      if (okCodes.includes(code ?? -1)) resolve({ ms, rssKb: Number(rss?.[1] ?? 0), output });
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${errors.slice(-2000)}`));
    });
  });
}

interface Tool {
  label: string;
  /** application_name its connections show in pg_stat_activity, for the lock sampler. */
  application: string;
  run(): Promise<Run>;
}

interface ToolOptions {
  config: string;
  dumps: string[];
  migra: boolean;
  /** Another checkout's bin/parity.js, timed as "parity audit (before)". */
  before: string | undefined;
}

function toolsFor(pair: { baseline: string; target: string }, { config, dumps, migra, before }: ToolOptions) {
  const [dumpA = "", dumpB = ""] = dumps;
  const tools: Tool[] = [
    {
      label: "parity audit",
      application: "parity",
      run: async () => {
        const run = await runProcess(
          process.execPath,
          [PARITY, "audit", "--config", config, "--reporter", "json"],
          [0, 1, 2],
        );
        const report = JSON.parse(run.output) as { exitCode: number; checks: { message?: string }[] };
        if (report.exitCode === 2) {
          const reasons = report.checks.flatMap((check) => (check.message ? [check.message] : []));
          throw new Error(`parity audit exit 2: ${[...new Set(reasons)].join("; ")}`);
        }
        return run;
      },
    },
    {
      label: "schema check alone",
      application: "parity",
      run: () => runProcess(process.execPath, [join(root, "dist/bench/schema-audit.mjs"), config], [0, 1]),
    },
  ];
  if (before) {
    tools.push({
      label: "parity audit (before)",
      application: "parity",
      run: () =>
        runProcess(process.execPath, [before, "audit", "--config", config, "--reporter", "json"], [0, 1, 2]),
    });
  }
  if (existsSync(PG_DUMP)) {
    tools.push({
      label: "pg_dump×2+diff",
      application: "pg_dump",
      run: async () => {
        const started = performance.now();
        const runs = await Promise.all([
          runProcess(PG_DUMP, ["--schema-only", "-f", dumpA, pair.baseline]),
          runProcess(PG_DUMP, ["--schema-only", "-f", dumpB, pair.target]),
        ]);
        const diff = await runProcess("diff", ["-u", dumpA, dumpB], [0, 1]);
        return {
          ms: performance.now() - started,
          rssKb: Math.max(...runs.map((r) => r.rssKb), diff.rssKb),
          output: "",
        };
      },
    });
  }
  if (migra) {
    tools.push({
      label: "@pgkit/migra",
      application: "",
      run: () =>
        runProcess(
          process.execPath,
          [MIGRA, pair.baseline, pair.target, "--unsafe", "--with-privileges"],
          [0, 2],
        ),
    });
  }
  return tools;
}

/** Polls pg_locks while `work` runs: the most relation locks `application` held at once, per database. */
async function sampleLocks(serverUrls: string[], application: string, work: () => Promise<unknown>) {
  const clients = serverUrls.map(
    (url) => new pg.Client({ connectionString: url, application_name: "lock-sampler" }),
  );
  await Promise.all(clients.map((client) => client.connect()));
  const most = new Map<string, number>();
  let done = false;
  const poll = async (client: pg.Client) => {
    while (!done) {
      const { rows } = await client.query<{ database: string; locks: number }>(
        `select d.datname as database, count(*)::int as locks
           from pg_locks l join pg_stat_activity a on a.pid = l.pid join pg_database d on d.oid = l.database
          where a.application_name = $1 and l.locktype = 'relation' group by 1`,
        [application],
      );
      for (const row of rows) most.set(row.database, Math.max(most.get(row.database) ?? 0, row.locks));
    }
  };
  const polling = clients.map(poll);
  try {
    await work();
  } finally {
    done = true;
    await Promise.all(polling);
    await Promise.all(clients.map((client) => client.end()));
  }
  return most;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The data check's findings from the old read and from the new one (read + finish), as JSON lines. */
async function compareReads(pair: { baseline: string; target: string }): Promise<string> {
  const environments = { baseline: "baseline", target: "target" };
  const context = (environment: string) => ({ environment, configDir: root });
  let legacy: string[];
  try {
    const [base, target] = await Promise.all([
      readLegacyDataSnapshot({ url: pair.baseline }, context("baseline")),
      readLegacyDataSnapshot({ url: pair.target }, context("target")),
    ]);
    legacy = dataCheck.compare(base, target, environments).map((finding) => JSON.stringify(finding));
  } catch (error) {
    return `old read failed (${(error as Error).message}); nothing to compare`;
  }
  const specs = new Map([
    ["baseline", { url: pair.baseline }],
    ["target", { url: pair.target }],
  ]);
  const finished =
    (await dataCheck.readTogether?.(specs, { baseline: "baseline", configDir: "/nonexistent" })) ?? new Map();
  const [base, target] = [finished.get("baseline"), finished.get("target")] as DataSnapshot[];
  const fresh = dataCheck
    .compare(base as DataSnapshot, target as DataSnapshot, environments)
    .map((f) => JSON.stringify(f));
  const missing = legacy.filter((line) => !fresh.includes(line));
  const extra = fresh.filter((line) => !legacy.includes(line));
  if (missing.length === 0 && extra.length === 0) return `identical (${fresh.length} findings)`;
  process.exitCode = 1;
  const clip = (lines: string[]) => lines.map((line) => line.slice(0, 400)).join(" | ");
  return `DIFFERENT: only from the old read ${clip(missing)}; only from the new read ${clip(extra)}`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      tables: { type: "string", default: "2000,10000" },
      runs: { type: "string", default: "3" },
      "migra-max": { type: "string", default: "2000" },
      "no-compare-reads": { type: "boolean", default: false },
      before: { type: "string" },
    },
  });
  const sizes = values.tables.split(",").map((size) => Number.parseInt(size, 10));
  const runs = Math.max(1, Number.parseInt(values.runs, 10));
  const migraMax = Number.parseInt(values["migra-max"], 10);
  if (!existsSync(PG_DUMP)) console.log(`pg_dump not found at ${PG_DUMP}: skipping pg_dump+diff`);

  // The CLI runs from its bundle, as after `npm ci`; the schema-only process is bundled the same way.
  await runProcess(process.execPath, [join(root, "scripts/build-cli.mjs")]);
  await runProcess(process.execPath, [
    join(root, "scripts/build-cli.mjs"),
    ...[
      "--outdir",
      join(root, "dist", "bench"),
      "--entry",
      "bench/schema-audit-process.ts",
      "--name",
      "schema-audit",
    ],
  ]);
  // The default lock budget per connection (64); more connections than the default 100 only so
  // that the shared lock table has room for the tools that lock every table in one transaction
  // (pg_dump, ~10,000 at 10,000 tables; the old data read for --compare-reads, ~60,000 in each of
  // two databases at once: 64 × 1,000 entries was not always enough for it, 64 × 2,000 is).
  // test/data/lock-budget.test.ts runs parity against a lock table of ~1,000 entries.
  const settings = { max_locks_per_transaction: 64, max_connections: 2000 };
  const [pg15, pg13] = await Promise.all([
    startEmbeddedPostgres({ major: 15, settings }),
    startEmbeddedPostgres({ major: 13, settings }),
  ]);
  const work = await mkdtemp(join(tmpdir(), "parity-audit-bench-"));
  const parityBySize = new Map<number, Map<PairName, number>>();
  const verdicts: string[] = [];
  const verdict = (label: string, value: number, target: number, unit = "") =>
    verdicts.push(
      `${label} = ${value.toFixed(2)}${unit} (target ≤ ${target}${unit}): ${value <= target ? "met" : "MISSED"}`,
    );
  try {
    for (const tables of sizes) {
      const loadStarted = performance.now();
      const pairs: AuditPairs = await buildAuditPairs({ pg15, pg13 }, tables);
      console.log(`\n${tables} tables (built 4 databases in ${seconds(performance.now() - loadStarted)})`);
      const parityByPair = new Map<PairName, number>();
      parityBySize.set(tables, parityByPair);
      for (const name of PAIRS) {
        const pair = pairs[name];
        const config = join(work, `${tables}-${name}.parity.config.yaml`);
        await writeFile(
          config,
          `baseline: production\nenvironments:\n  production:\n    database:\n      url: "${pair.baseline}"\n  staging:\n    database:\n      url: "${pair.target}"\n`,
        );
        const tools = toolsFor(pair, {
          config,
          dumps: [join(work, "a.sql"), join(work, "b.sql")],
          migra: tables <= migraMax,
          before: values.before,
        });
        // The tools take turns within each run, so load that comes and goes falls on all alike.
        const times = new Map<string, Run[]>();
        for (let run = 0; run < runs; run += 1) {
          for (const tool of tools) {
            // migra takes minutes; once is enough to know it is two orders of magnitude off.
            if (tool.label === "@pgkit/migra" && run > 0) continue;
            times.set(tool.label, [...(times.get(tool.label) ?? []), await tool.run()]);
          }
        }
        const med = (label: string) => median((times.get(label) ?? []).map((r) => r.ms));
        const parity = med("parity audit");
        const dump = med("pg_dump×2+diff");
        parityByPair.set(name, parity);
        const report = JSON.parse(times.get("parity audit")?.[0]?.output ?? "{}") as {
          findings?: { ruleId: string; severity: string }[];
        };
        const rules = new Map<string, number>();
        for (const finding of report.findings ?? []) {
          const key = `${finding.ruleId} ${finding.severity}`;
          rules.set(key, (rules.get(key) ?? 0) + 1);
        }
        console.log(`  ${name}: ${[...rules].map(([key, n]) => `${key} ×${n}`).join(", ")}`);
        for (const tool of tools) {
          const all = times.get(tool.label) ?? [];
          console.log(
            `    ${tool.label.padEnd(20)} median ${seconds(med(tool.label)).padStart(8)}  (runs ${all.map((r) => seconds(r.ms)).join(", ")})  peak RSS ${Math.max(...all.map((r) => r.rssKb / 1024)).toFixed(0)} MB`,
          );
        }
        if (Number.isFinite(dump)) {
          const ratio = parity / dump;
          console.log(
            `    parity audit / pg_dump×2+diff = ${ratio.toFixed(3)}; schema check alone / pg_dump = ${(med("schema check alone") / dump).toFixed(3)}`,
          );
          const target = TARGETS[tables];
          if (target !== undefined)
            verdict(`${tables} tables, ${name}: parity / pg_dump+diff`, ratio, target);
        }
        const migra = med("@pgkit/migra");
        if (Number.isFinite(migra)) console.log(`    parity audit / migra = ${(parity / migra).toFixed(3)}`);
        const rss = Math.max(...(times.get("parity audit") ?? []).map((r) => r.rssKb / 1024));
        if (tables >= 10000) verdict(`${tables} tables, ${name}: parity peak RSS`, rss, 250, " MB");
        // Locks in a pass of its own: the sampler's queries would otherwise weigh on the timings.
        for (const tool of tools.filter((candidate) => candidate.application !== "")) {
          if (tool.label === "schema check alone") continue;
          const most = await sampleLocks([pg15.url(), pg13.url()], tool.application, () => tool.run());
          console.log(
            `    most relation locks held at once by ${tool.label}: ${[...most].map(([db, n]) => `${db} ${n}`).join(", ") || "none seen"}`,
          );
        }
        if (!values["no-compare-reads"])
          console.log(`    data check, old read vs new: ${await compareReads(pair)}`);
      }
    }
    const small = parityBySize.get(2000);
    const large = parityBySize.get(10000);
    if (small && large) {
      for (const name of PAIRS) {
        const ratio = (large.get(name) ?? Number.NaN) / (small.get(name) ?? Number.NaN);
        console.log(`\n${name}: parity 10,000 / 2,000 tables = ${ratio.toFixed(2)}×`);
        verdict(`${name}: parity 10,000 / 2,000 tables`, ratio, 5, "×");
      }
    }
    if (verdicts.length > 0) console.log(`\n${verdicts.join("\n")}`);
  } finally {
    await Promise.all([pg15.stop(), pg13.stop()]);
    await rm(work, { recursive: true, force: true });
  }
}

await main();
