// `parity validate`: check the config only; exit 0 when it is valid, 2 with every problem when not.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("validate")
    .description("Check the audit config without reading any environment; exit 0 if valid, 2 if not")
    .option(
      "-c, --config <file>",
      "audit config file (default: parity.config.yaml here or in the nearest parent directory)",
    )
    .option("--json-schema", "print the config's JSON Schema instead (for editors and CI linters)")
    .action(async (flags: { config?: string; jsonSchema?: boolean }) => {
      const { formatJsonSchema, formatValid, validateCommand } = await import("./command.ts");
      if (flags.jsonSchema) {
        process.stdout.write(formatJsonSchema());
        return;
      }
      const { findConfigFile } = await import("../../parity-config/find.ts");
      const config = await validateCommand({ config: flags.config ?? (await findConfigFile(process.cwd())) });
      process.stdout.write(formatValid(config));
    });
}
