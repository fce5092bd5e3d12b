// `parity mask`: rewrite a cloned database in place with the masking rules (all or nothing).
import { type Command, InvalidArgumentError } from "commander";

export interface KeyFlags {
  keySsmParameter?: string;
  region?: string;
  ssmEndpoint?: string;
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a positive integer");
  return parsed;
}

export function addKeyOptions(command: Command): Command {
  return command
    .option(
      "--key-ssm-parameter <name>",
      "read the HMAC key from this SSM SecureString (decrypted) instead of PARITY_MASKING_KEY",
    )
    .option("--region <region>", "AWS region of the SSM parameter")
    .option("--ssm-endpoint <url>", "SSM endpoint override (VPC endpoint, local test server)");
}

export function keySource(flags: KeyFlags) {
  return {
    ...(flags.keySsmParameter ? { ssmParameter: flags.keySsmParameter } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.ssmEndpoint ? { ssmEndpoint: flags.ssmEndpoint } : {}),
  };
}

export function register(program: Command): void {
  addKeyOptions(
    program
      .command("mask")
      .description(
        "Mask a cloned database in place: deterministic keyed rules, one transaction (key: PARITY_MASKING_KEY)",
      )
      .requiredOption("--database-url <url>", "the clone to mask (never production)")
      .requiredOption("--rules <file>", "masking rules file (YAML)")
      .option("--batch-size <rows>", "rows per UPDATE batch (default 50000)", positiveInteger)
      .option("--check", "only check that the rules fit the database (reads only, needs no key)"),
  ).action(
    async (flags: { databaseUrl: string; rules: string; batchSize?: number; check?: boolean } & KeyFlags) => {
      const { maskCommand, checkCommand, formatMaskReport, formatPlan } = await import("./command.ts");
      if (flags.check) {
        process.stdout.write(`${formatPlan(await checkCommand(flags))}\n`);
        return;
      }
      const report = await maskCommand({
        databaseUrl: flags.databaseUrl,
        rules: flags.rules,
        ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
        ...keySource(flags),
      });
      process.stdout.write(`${formatMaskReport(report)}\n`);
    },
  );
}
