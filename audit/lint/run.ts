// `parity lint`'s I/O edge around the pure core: read and parse the migrations (every syntax error
// first, before any connection), read the target's facts for the tables they name, lint, apply the
// config's ignore list to lint/* findings.
import { resolve } from "node:path";
import { ParityInputError } from "../core/errors.ts";
import type { Finding } from "../core/finding.ts";
import { readTextFile } from "../core/read-text-file.ts";
import { applyIgnoreList } from "../drift/runner/ignore.ts";
import { applyRuleLevels } from "../drift/runner/rule-levels.ts";
import type { IgnoreEntry, RuleSetting } from "../parity-config/types.ts";
import { type PlanFile, parsePlanFile } from "../plan/plan-file.ts";
import { calledFunctions } from "./expression.ts";
import { lintMigrations, type MigrationInput } from "./lint.ts";
import { loadParser, parseMigration } from "./parse.ts";
import { readTargetFacts } from "./read-facts.ts";
import { mentionedRelations } from "./relation.ts";
import { type LintResult, lintExitCode } from "./result.ts";
import type { LintSettings } from "./settings.ts";

export type MigrationSource =
  | { sqlFile: string }
  | { planFile: string }
  /** A plan in memory (`parity promote`): `session` is SQL the runner issues first (BEGIN, timeouts). */
  | { plan: PlanFile; file: string; session?: string };

export interface LintRunOptions {
  /** Paths as the user gave them (findings name them so); read relative to `cwd`. */
  sources: readonly MigrationSource[];
  /** Resolved target: connection URL and the name findings use. */
  target: { url: string; environment: string };
  settings: LintSettings;
  ignore?: readonly IgnoreEntry[];
  /** The config's `rules:` levels, applied to lint findings as to the audit's. */
  rules?: readonly RuleSetting[];
  configFile?: string | null;
  cwd?: string;
  now?: Date;
}

export async function runLint(options: LintRunOptions): Promise<LintResult> {
  const started = options.now ?? new Date();
  const clock = Date.now();
  const migrations = await readMigrations(options.sources, options.cwd ?? process.cwd());
  const nodes = migrations.flatMap((migration) => migration.statements.map((statement) => statement.node));
  const target = await readTargetFacts({
    url: options.target.url,
    environment: options.target.environment,
    relations: [...mentionedRelations(nodes)],
    functions: [...calledFunctions(nodes)],
  });
  const outcomes = lintMigrations({ migrations, target, settings: options.settings });

  const entries = options.ignore ?? [];
  const linted = outcomes.map((outcome) => {
    // The config's `rules:` levels first, as in the audit: `lint/drop: off`, `lint/*: warning`.
    const leveled = applyRuleLevels(outcome.findings, options.rules ?? []);
    const { reported, ignored } = applyIgnoreList(leveled, entries, {
      now: started,
      environments: [target.environment],
    });
    return { outcome, reported, ignored };
  });
  const findings: Finding[] = linted.flatMap((entry) => entry.reported);
  return {
    configFile: options.configFile ?? null,
    target: target.environment,
    serverVersionNum: target.serverVersionNum,
    migrations: linted.map(({ outcome, reported, ignored }) => ({
      file: outcome.file,
      statements: outcome.statements,
      findings: reported,
      ignoredCount: ignored.length,
    })),
    findings,
    ignored: linted.flatMap((entry) => entry.ignored),
    exitCode: lintExitCode(findings),
    startedAt: started.toISOString(),
    durationMs: Date.now() - clock,
  };
}

/** Every file read and parsed; every problem of every file reported at once (exit 2). */
export async function readMigrations(
  sources: readonly MigrationSource[],
  cwd: string,
): Promise<MigrationInput[]> {
  await loadParser();
  const failures: ParityInputError[] = [];
  const migrations: MigrationInput[] = [];
  for (const source of sources) {
    try {
      migrations.push(
        "sqlFile" in source
          ? await readSqlFile(source.sqlFile, cwd)
          : "planFile" in source
            ? await readPlan(source.planFile, cwd)
            : planInput(source.plan, source.file, source.session),
      );
    } catch (error) {
      if (!(error instanceof ParityInputError)) throw error;
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new ParityInputError(
      `cannot lint ${failures.length} of the migrations`,
      failures.map((failure) => failure.message),
    );
  }
  return migrations;
}

async function readSqlFile(file: string, cwd: string): Promise<MigrationInput> {
  const text = await readTextFile(resolve(cwd, file), (reason) => {
    return new ParityInputError(`${file}: cannot read the migration: ${reason}`);
  });
  return { file, statements: parseMigration(text, file) };
}

/** A plan from `parity plan --out plan.json`, read with the plan's own schema (audit/plan/plan-file.ts). */
async function readPlan(file: string, cwd: string): Promise<MigrationInput> {
  const text = await readTextFile(resolve(cwd, file), (reason) => {
    return new ParityInputError(`${file}: cannot read the plan: ${reason}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ParityInputError(`${file}: not JSON: ${(error as Error).message}`);
  }
  let plan: ReturnType<typeof parsePlanFile>;
  try {
    plan = parsePlanFile(json);
  } catch (error) {
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues ?? [];
    throw new ParityInputError(
      `${file}: not a parity plan`,
      issues.map((issue) => `${issue.path.map(String).join(".") || "(top level)"}: ${issue.message}`),
    );
  }
  if (plan.refusals.length > 0) {
    throw new ParityInputError(
      `${file}: the plan was refused, there is nothing to lint`,
      plan.refusals.map((refusal) => `${refusal.objectType} ${refusal.name}: ${refusal.reason}`),
    );
  }
  return planInput(plan, file);
}

/**
 * A plan's statements as one migration, each keeping its index in the plan. `session` (parsed
 * first, index -1) is what the runner issues before them, so lint judges the session it really gets.
 */
function planInput(plan: PlanFile, file: string, session?: string): MigrationInput {
  const preamble = session
    ? parseMigration(session, `${file}#session`).map((parsed) => ({ ...parsed, index: -1 }))
    : [];
  const statements = plan.statements.flatMap((statement, index) =>
    parseMigration(statement.sql, `${file}#statements[${index}]`).map((parsed) => ({ ...parsed, index })),
  );
  return { file, statements: [...preamble, ...statements] };
}
