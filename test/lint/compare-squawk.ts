// The peer, squawk (squawk-cli, a devDependency whose binary ships in an npm package), and parity
// on the same corpus: one row per migration, squawk's rule names beside parity's verdicts with the
// target's numbers. Shared by the comparison test and the lint bench.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Finding } from "../../audit/core/finding.ts";
import { formatCount } from "../../audit/lint/estimate.ts";
import type { LintEvidence } from "../../audit/lint/rule.ts";
import { runLint } from "../../audit/lint/run.ts";
import { DEFAULT_LINT_SETTINGS } from "../../audit/lint/settings.ts";
import type { CorpusEntry } from "./corpus.ts";

export interface SideBySide {
  entry: CorpusEntry;
  squawk: string[];
  parity: Finding[];
}

interface SquawkViolation {
  file: string;
  rule_name: string;
}

/** The squawk binary from its platform package (what `npx squawk` would run), without a shell. */
function squawkBinary(): string {
  const require = createRequire(import.meta.url);
  const { getBinaryPath } = require("squawk-cli/js/index.js") as { getBinaryPath(): string };
  return getBinaryPath();
}

export async function writeCorpus(corpus: readonly CorpusEntry[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  return Promise.all(
    corpus.map(async (entry, index) => {
      const file = join(dir, `${String(index + 1).padStart(2, "0")}-${entry.name}.sql`);
      await writeFile(file, `${entry.sql}\n`);
      return file;
    }),
  );
}

export async function runSquawk(files: readonly string[], pgVersion: string): Promise<Map<string, string[]>> {
  // squawk exits 1 when it finds anything; its JSON is on stdout either way.
  const output = await promisify(execFile)(
    squawkBinary(),
    ["--reporter", "json", `--pg-version=${pgVersion}`, ...files],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string; code?: number }) => {
    if (error.code === 1 && error.stdout) return { stdout: error.stdout };
    throw error;
  });
  const violations = JSON.parse(output.stdout) as SquawkViolation[];
  const byFile = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const violation of violations) byFile.get(violation.file)?.push(violation.rule_name);
  return byFile;
}

export async function compareWithSquawk(options: {
  corpus: readonly CorpusEntry[];
  dir: string;
  url: string;
  pgVersion: string;
}): Promise<SideBySide[]> {
  const files = await writeCorpus(options.corpus, options.dir);
  const [squawk, parity] = await Promise.all([
    runSquawk(files, options.pgVersion),
    runLint({
      sources: files.map((file) => ({ sqlFile: file })),
      target: { url: options.url, environment: "production" },
      settings: DEFAULT_LINT_SETTINGS,
    }),
  ]);
  return options.corpus.map((entry, index) => ({
    entry,
    squawk: [...new Set(squawk.get(files[index] ?? "") ?? [])],
    parity: parity.migrations[index]?.findings ?? [],
  }));
}

/** A fixed-width table a reviewer can scan: migration | squawk | parity with its numbers. */
export function formatSideBySide(rows: readonly SideBySide[]): string {
  const width = Math.max(...rows.map((row) => row.entry.name.length));
  const squawkOf = (row: SideBySide) => row.squawk.join(", ") || "—";
  const squawkWidth = Math.max(...rows.map((row) => squawkOf(row).length));
  const lines = [
    `${"migration".padEnd(width)}  ${"squawk".padEnd(squawkWidth)}  parity, on the target's numbers`,
  ];
  for (const row of rows) {
    const squawk = squawkOf(row);
    const parity =
      row.parity
        .map((finding) => {
          const evidence = finding.actual as LintEvidence | undefined;
          const numbers =
            evidence?.estimatedSeconds !== undefined
              ? ` ${formatCount(evidence.rows ?? 0)} rows, ~${evidence.estimatedSeconds} s ${evidence.lock}`
              : "";
          return `${finding.severity} ${finding.ruleId.slice("lint/".length)}${numbers}`;
        })
        .join("; ") || "—";
    lines.push(`${row.entry.name.padEnd(width)}  ${squawk.padEnd(squawkWidth)}  ${parity}`);
  }
  return `${lines.join("\n")}\n`;
}
