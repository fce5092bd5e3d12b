// The pure core of `parity lint`: parsed statements and the target's facts in, Findings out. Each
// migration file is its own session (its own transaction state and timeouts), run in order.
import type { Finding } from "../core/finding.ts";
import type { TableFacts, TargetFacts } from "./facts.ts";
import { createContext, type LintRule } from "./rule.ts";
import { lintRules } from "./rules/index.ts";
import { advanceSession, INITIAL_SESSION } from "./session.ts";
import type { LintSettings } from "./settings.ts";
import type { LintStatement } from "./statement.ts";

export interface MigrationInput {
  /** As the user named it; findings point at it. */
  file: string;
  statements: readonly LintStatement[];
}

export interface LintInput {
  migrations: readonly MigrationInput[];
  target: TargetFacts;
  settings: LintSettings;
  rules?: readonly LintRule[];
}

export interface MigrationOutcome {
  file: string;
  statements: number;
  /** In statement order, then rule id. */
  findings: Finding[];
}

export function lintMigrations(input: LintInput): MigrationOutcome[] {
  const rules = input.rules ?? lintRules;
  const lookup = (name: string): TableFacts | undefined => input.target.tables.get(name);
  return input.migrations.map((migration) => {
    const findings: Finding[] = [];
    let session = INITIAL_SESSION;
    for (const statement of migration.statements) {
      for (const rule of rules) {
        const context = createContext(rule, {
          statement,
          session,
          target: input.target,
          settings: input.settings,
          lookup,
        });
        findings.push(...rule.check(context));
      }
      session = advanceSession(session, statement.node);
    }
    // The session preamble (index -1, what a runner issues first) is not one of the migration's statements.
    const statements = migration.statements.filter((statement) => statement.index >= 0).length;
    return { file: migration.file, statements, findings };
  });
}
