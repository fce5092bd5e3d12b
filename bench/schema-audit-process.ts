// What the schema benchmark times as a process: `parity audit` with the schema check alone —
// the same config loading, runner and json reporter as the CLI, with a registry that holds only
// the database schema check (the data check is not part of the comparison with pg_dump or
// migra). The bench bundles this file with scripts/build-cli.mjs, as the CLI is bundled.
// Usage: <parity.config.yaml>; prints the json report.
import { auditCommand, writeReports } from "../audit/cli/audit/command.ts";
import { databaseCheck } from "../audit/drift/checks/database/index.ts";

const [config] = process.argv.slice(2);
if (!config) {
  console.error("usage: schema-audit-process <parity.config.yaml>");
  process.exitCode = 2;
} else {
  const { reports, exitCode } = await auditCommand({
    config,
    reporters: ["json"],
    registry: { database: [databaseCheck], config: [], rds: [] },
  });
  await writeReports(reports, process.stdout);
  process.exitCode = exitCode;
}
