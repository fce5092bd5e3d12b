// `parity mask`: rewrite a cloned database in place with the masking rules (all or nothing).

import { type Command, InvalidArgumentError } from "commander";
import { warnAboutArgvPasswords } from "../argv-passwords.ts";

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

interface MaskFlags extends KeyFlags {
  databaseUrl: string;
  rules: string;
  batchSize?: number;
  check?: boolean;
  dryRun?: boolean;
  iKnowThisIsNotProduction?: boolean;
  allowOtherSessions?: boolean;
  onlyNewRules?: boolean;
  config?: string;
}

/** Both commands learn which databases are production from the parity config too. */
export function addConfigOption(command: Command): Command {
  return command.option(
    "-c, --config <file>",
    "parity config whose baseline and production environments are refused (default: parity.config.yaml here or in the nearest parent directory)",
  );
}

export function register(program: Command): void {
  addConfigOption(
    addKeyOptions(
      program
        .command("mask")
        .description(
          "Mask a cloned database in place: deterministic keyed rules, one transaction, then fresh relation files and statistics (key: PARITY_MASKING_KEY)",
        )
        .requiredOption(
          "--database-url <url>",
          "the clone to mask (never production); password via PGPASSWORD or PGPASSFILE",
        )
        .requiredOption("--rules <file>", "masking rules file (YAML)")
        .option("--batch-size <rows>", "rows per UPDATE batch (default 50000)", positiveInteger)
        .option(
          "--check",
          "only check that the rules and the masked values fit the database (rolled back, needs no key)",
        )
        .option(
          "--dry-run",
          "mask in a transaction that is rolled back; print per-column counts and masked samples",
        )
        .option(
          "--i-know-this-is-not-production",
          "mask a database whose name or host looks like production, or that the parity config names as production",
        )
        .option("--allow-other-sessions", "mask while other sessions are connected (their writes wait)")
        .option(
          "--only-new-rules",
          "on a database masked before with this key, mask only the newly ruled columns",
        ),
    ),
  ).action(async (flags: MaskFlags) => {
    const { maskCommand, checkCommand, formatMaskReport, formatPlan } = await import("./command.ts");
    warnAboutArgvPasswords([flags.databaseUrl]);
    if (flags.check) {
      process.stdout.write(`${formatPlan(await checkCommand(flags))}\n`);
      return;
    }
    const report = await maskCommand({
      onWarning: (message: string) => process.stderr.write(`parity: warning: ${message}\n`),
      databaseUrl: flags.databaseUrl,
      rules: flags.rules,
      ...(flags.config === undefined ? {} : { config: flags.config }),
      ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.iKnowThisIsNotProduction ? { allowProductionName: true } : {}),
      ...(flags.allowOtherSessions ? { allowOtherSessions: true } : {}),
      ...(flags.onlyNewRules ? { onlyNewRules: true } : {}),
      ...keySource(flags),
    });
    process.stdout.write(`${formatMaskReport(report)}\n`);
  });
}
