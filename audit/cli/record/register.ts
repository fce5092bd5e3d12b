// `parity record`: the promotion record log. `verify` checks every signature and the hash chain
// (exit 0 intact, 1 a record changed/removed/inserted/reordered, 2 no key, unreadable log, bad input);
// `show` prints one record for a person.
import type { Command } from "commander";

interface VerifyFlags {
  publicKey?: string[];
  config?: string;
  head?: string;
  reporter: string;
}

interface ShowFlags {
  config?: string;
  reporter: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const record = program
    .command("record")
    .description("The signed promotion record log: verify it, show a record");

  record
    .command("verify")
    .description(
      "Verify every record's signature and the hash chain; exit 0 intact, 1 a record changed, removed, inserted or reordered (named), 2 no key, unreadable log or bad input",
    )
    .argument("[log]", "directory or s3://bucket/prefix (default: promotion.log of the config)")
    .option(
      "--public-key <file>",
      "Ed25519 public key (PEM) to verify with; repeat for a rotated key",
      collect,
    )
    .option("-c, --config <file>", "parity config with a promotion: block (log, publicKey or signingKey)")
    .option(
      "--head <hash>",
      "the hash the last record had at an earlier verify: detects records removed from the end",
    )
    .option("-r, --reporter <name>", "text | json", "text")
    .action(async (log: string | undefined, flags: VerifyFlags) => {
      const { recordVerifyCommand } = await import("./command.ts");
      const result = await recordVerifyCommand({
        ...(log !== undefined ? { log } : {}),
        ...(flags.publicKey ? { publicKeys: flags.publicKey } : {}),
        ...(flags.config !== undefined ? { config: flags.config } : {}),
        ...(flags.head !== undefined ? { head: flags.head } : {}),
        reporter: flags.reporter,
      });
      process.stdout.write(result.content);
      process.exitCode = result.exitCode;
    });

  record
    .command("show")
    .description(
      "Print one record for a person: what changed, who approved it, the snapshot and the undo path",
    )
    .argument("[log]", "directory or s3://bucket/prefix (default: promotion.log of the config)")
    .argument("[id]", "record id (or its first characters), sequence number or file name; default: the last")
    .option("-c, --config <file>", "parity config with a promotion: block")
    .option("-r, --reporter <name>", "text | json", "text")
    .action(async (log: string | undefined, id: string | undefined, flags: ShowFlags) => {
      const { recordShowCommand } = await import("./command.ts");
      const result = await recordShowCommand({
        ...(log !== undefined ? { log } : {}),
        ...(id !== undefined ? { id } : {}),
        ...(flags.config !== undefined ? { config: flags.config } : {}),
        reporter: flags.reporter,
      });
      process.stdout.write(result.content);
    });
}
