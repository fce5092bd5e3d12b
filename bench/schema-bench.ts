// Schema-audit benchmark: parity vs `pg_dump --schema-only` + `diff` vs @pgkit/migra, each timed
// end to end as a separate process against the same two databases on an embedded PostgreSQL 15.
//   npx tsx bench/schema-bench.ts [--tables 2000,10000] [--migra-max 2000] [--runs 1]
// Targets: at 2,000 tables parity ≤ 1/10 of migra and ≤ 0.4 of pg_dump+diff; parity at 10,000
// tables ≤ 6× its 2,000-table time.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../test/support/embedded-postgres.ts";
import { buildPair } from "./schema-fixture.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const PG_DUMP = process.env.PG_DUMP ?? "/usr/bin/pg_dump";
const MIGRA = join(root, "node_modules/@pgkit/migra/dist/command.js");
const PARITY = join(root, "bin/parity.js");
interface Timed {
  ms: number;
  output: string;
}

function timeProcess(command: string, args: string[], options: { okCodes?: number[] } = {}): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
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
      if ((options.okCodes ?? [0]).includes(code ?? -1)) resolve({ ms, output });
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${errors.slice(-2000)}`));
    });
  });
}

async function timeAll(label: string, work: () => Promise<Timed[] | Timed>): Promise<Timed> {
  const started = performance.now();
  const result = await work();
  const outputs = Array.isArray(result) ? result.map((r) => r.output).join("") : result.output;
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(18)} ${(ms / 1000).toFixed(2).padStart(8)} s`);
  return { ms, output: outputs };
}

async function main() {
  const { values } = parseArgs({
    options: {
      tables: { type: "string", default: "2000,10000" },
      // migra needs minutes at 10,000 tables (over 7 min here), so by default it runs at 2,000 only.
      "migra-max": { type: "string", default: "2000" },
      runs: { type: "string", default: "1" },
    },
  });
  const sizes = values.tables.split(",").map((size) => Number.parseInt(size, 10));
  const migraMax = Number.parseInt(values["migra-max"], 10);
  const runs = Math.max(1, Number.parseInt(values.runs, 10));
  const hasPgDump = existsSync(PG_DUMP);
  if (!hasPgDump) {
    console.log(
      `pg_dump not found at ${PG_DUMP} (install postgresql-client-15 or set PG_DUMP): skipping pg_dump+diff`,
    );
  }
  // Both parity processes run bundled, as users run the CLI after `npm ci` (whose `prepare`
  // builds dist/): the CLI itself, and the schema-only process bundled the same way.
  const bundleDir = join(root, "dist", "bench");
  await timeProcess(process.execPath, [join(root, "scripts/build-cli.mjs")]);
  await timeProcess(process.execPath, [
    join(root, "scripts/build-cli.mjs"),
    ...["--outdir", bundleDir, "--entry", "bench/schema-audit-process.ts", "--name", "schema-audit"],
  ]);
  const server = await startEmbeddedPostgres({ major: 15 });
  const work = await mkdtemp(join(tmpdir(), "parity-schema-bench-"));
  const parityTimes = new Map<number, number>();
  const verdicts: string[] = [];
  const verdict = (label: string, ratio: number, target: number) =>
    verdicts.push(
      `${label} = ${ratio.toFixed(3)} (target ≤ ${target}): ${ratio <= target ? "met" : "MISSED"}`,
    );
  try {
    for (const tables of sizes) {
      const loadStarted = performance.now();
      const { baseline, target } = await buildPair(server, tables);
      console.log(
        `\n${tables} tables (loaded both databases in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s)`,
      );
      const config = join(work, `${tables}.parity.config.yaml`);
      await writeFile(
        config,
        `baseline: baseline\nenvironments:\n  baseline:\n    database:\n      url: "${baseline}"\n  target:\n    database:\n      url: "${target}"\n`,
      );
      const dumpA = join(work, `${tables}-a.sql`);
      const dumpB = join(work, `${tables}-b.sql`);
      const tools: Array<{ label: string; work: () => Promise<Timed[] | Timed>; optional?: boolean }> = [
        // parity's schema audit: config, runner, schema check, json report (exit 1: drift found).
        {
          label: "parity",
          work: () =>
            timeProcess(process.execPath, [join(bundleDir, "schema-audit.mjs"), config], { okCodes: [1] }),
        },
        // For reference, the whole `parity audit` a user runs for these two databases: the schema
        // check plus the data check (sequence states, live min/max of the key columns, row
        // estimates), which pg_dump and migra do not do.
        {
          label: "parity audit CLI",
          optional: true,
          work: async () => {
            const run = await timeProcess(
              process.execPath,
              [PARITY, "audit", "--config", config, "--reporter", "json"],
              { okCodes: [1, 2] },
            );
            // Exit 2: an environment could not be read; the report says why.
            const report = JSON.parse(run.output) as { exitCode: number; checks?: { message?: string }[] };
            if (report.exitCode === 2) {
              const reasons = (report.checks ?? []).flatMap((check) =>
                check.message ? [check.message] : [],
              );
              throw new Error(`exit 2: ${[...new Set(reasons)].join("; ")}`);
            }
            return run;
          },
        },
      ];
      if (hasPgDump) {
        tools.push({
          label: "pg_dump+diff",
          work: async () => {
            const dumps = await Promise.all([
              timeProcess(PG_DUMP, ["--schema-only", "-f", dumpA, baseline]),
              timeProcess(PG_DUMP, ["--schema-only", "-f", dumpB, target]),
            ]);
            // diff exits 1 when the files differ, which they do.
            return [...dumps, await timeProcess("diff", ["-u", dumpA, dumpB], { okCodes: [0, 1] })];
          },
        });
      }
      if (tables <= migraMax) {
        tools.push({
          label: "@pgkit/migra",
          work: () =>
            timeProcess(process.execPath, [MIGRA, baseline, target, "--unsafe", "--with-privileges"]),
        });
      }
      // Best of --runs for every tool alike, the tools taking turns within each run: the machine
      // is shared, so the minimum is the least disturbed run, and load that comes and goes falls
      // on every tool rather than on whichever ran during it.
      const best = new Map<string, Timed>();
      for (let run = 0; run < runs; run += 1) {
        for (const tool of [...tools]) {
          let timed: Timed;
          try {
            timed = await timeAll(tool.label, tool.work);
          } catch (error) {
            // The reference run is not what the targets are about: report why it failed, go on.
            if (!tool.optional) throw error;
            console.log(`  ${tool.label} failed, left out: ${(error as Error).message}`);
            tools.splice(tools.indexOf(tool), 1);
            continue;
          }
          const previous = best.get(tool.label);
          if (!previous || timed.ms < previous.ms) best.set(tool.label, timed);
        }
      }
      const parityRun = best.get("parity") as Timed;
      const parity = parityRun.ms;
      parityTimes.set(tables, parity);
      const report = JSON.parse(parityRun.output) as {
        summary: { errors: number; warnings: number; infos: number };
      };
      console.log(
        `  parity findings: ${report.summary.errors + report.summary.warnings + report.summary.infos}`,
      );
      for (const [label, timed] of best)
        console.log(`  best ${label.padEnd(18)} ${(timed.ms / 1000).toFixed(2)} s`);
      const dump = best.get("pg_dump+diff");
      if (dump) {
        console.log(
          `  parity / pg_dump+diff = ${(parity / dump.ms).toFixed(3)} (target ≤ 0.4 at 2,000 tables)`,
        );
        if (tables === 2000) verdict("2,000 tables: parity / pg_dump+diff", parity / dump.ms, 0.4);
      }
      const migra = best.get("@pgkit/migra");
      if (migra) {
        console.log(`  parity / migra = ${(parity / migra.ms).toFixed(3)} (target ≤ 0.1 at 2,000 tables)`);
        if (tables === 2000) verdict("2,000 tables: parity / @pgkit/migra", parity / migra.ms, 0.1);
      } else {
        console.log(`  @pgkit/migra skipped above ${migraMax} tables (--migra-max)`);
      }
    }
    const small = parityTimes.get(2000);
    const large = parityTimes.get(10000);
    if (small && large) {
      console.log(`\nparity 10,000 / 2,000 tables = ${(large / small).toFixed(2)}× (target ≤ 6×)`);
      verdict("parity 10,000 / 2,000 tables", large / small, 6);
    }
    if (verdicts.length > 0) console.log(`\n${verdicts.join("\n")}`);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
