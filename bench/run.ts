// `npm run bench`: runs every benchmark in turn, each as its own process so one's memory and
// servers never skew another's numbers. `npm run bench -- schema` runs only the named ones;
// options after the names go to each of them (`npm run bench -- schema --tables 2000 --runs 3`).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHMARKS: Record<string, string> = {
  audit: "audit-bench.ts",
  schema: "schema-bench.ts",
  masking: "masking-bench.ts",
  "masking-transforms": "masking-transforms.ts",
  lint: "lint-bench.ts",
  record: "record-bench.ts",
};

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith("-"));
const requested = firstOption < 0 ? args : args.slice(0, firstOption);
const passedOn = firstOption < 0 ? [] : args.slice(firstOption);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(", ")} (known: ${Object.keys(BENCHMARKS).join(", ")}); ` +
      "name the benchmarks first, then their options\n",
  );
  process.exitCode = 2;
} else {
  const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);
  let failed = 0;
  for (const name of names) {
    const file = fileURLToPath(new URL(BENCHMARKS[name] ?? "", import.meta.url));
    process.stdout.write(`\n=== bench: ${name} ===\n`);
    const result = spawnSync(process.execPath, ["--import", "tsx", file, ...passedOn], { stdio: "inherit" });
    if (result.status !== 0) failed += 1;
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
