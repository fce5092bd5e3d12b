// `parity rules`: every rule id with its default severity and meaning, for writing ignore entries.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("rules")
    .description("List every audit rule: id (for ignore entries), default severity and what it reports")
    .argument("[pattern]", "only rules whose id matches this ignore-list pattern, e.g. 'schema/*'")
    .option("--json", "print JSON ({ rules: [{ id, domain, defaultSeverity, description }] })")
    .action(async (pattern: string | undefined, flags: { json?: boolean }) => {
      const { formatRulesJson, formatRulesText, listRules } = await import("./command.ts");
      const rules = listRules(pattern === undefined ? {} : { pattern });
      process.stdout.write(flags.json ? formatRulesJson(rules) : formatRulesText(rules));
    });
}
