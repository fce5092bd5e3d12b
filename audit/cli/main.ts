// The thin entry: parse arguments, hand off to a typed command, map errors to exit codes.
// Commands live in audit/cli/<command>/, each with a register.ts exporting `register(program)`, and import their
// heavy dependencies lazily so `parity --help` stays instant.
import { Command, CommanderError } from "commander";
import { EnvironmentReadError, ParityInputError } from "../core/errors.ts";
import { VERSION } from "../core/version.ts";

type Registrar = (program: Command) => void;

const commandModules: Array<() => Promise<{ register: Registrar }>> = [
  () => import("./audit/register.ts"),
  () => import("./mask/register.ts"),
  () => import("./clone/register.ts"),
  () => import("./rules/register.ts"),
  () => import("./lint/register.ts"),
  () => import("./previews/register.ts"),
  () => import("./guard/register.ts"),
  () => import("./plan/register.ts"),
  () => import("./promote/register.ts"),
  () => import("./undo/register.ts"),
  () => import("./record/register.ts"),
  () => import("./validate/register.ts"),
  () => import("./init/register.ts"),
];

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = new Command()
    .name("parity")
    .description("Keep staging honest: audit environments for config, engine, schema and data drift.")
    .version(VERSION, "-V, --version", "print parity's version")
    .showHelpAfterError()
    .exitOverride();
  for (const load of commandModules) (await load()).register(program);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version "fail" with exit code 0; usage errors were already printed.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ParityInputError || error instanceof EnvironmentReadError) {
    process.stderr.write(`parity: ${error.message}\n`);
    return 2;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`parity: internal error (this is a bug, please report it):\n${detail}\n`);
  return 2;
}
