// Errors the CLI maps to exit codes. Anything else that escapes is a bug and is reported as one.

/** Bad input from the user (a config file, a flag, a rules file): exit code 2. */
export class ParityInputError extends Error {
  readonly exitCode = 2;
  /** Every problem found, each naming its file/key/object, so the user fixes them all in one go. */
  readonly problems: readonly string[];

  constructor(summary: string, problems: readonly string[] = []) {
    super(problems.length > 0 ? `${summary}\n${problems.map((p) => `  - ${p}`).join("\n")}` : summary);
    this.name = "ParityInputError";
    this.problems = problems;
  }
}

/** An environment (database, SSM path, RDS instance) that could not be read: exit code 2 overall. */
export class EnvironmentReadError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly environment: string,
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${environment}: could not read ${source}: ${message}`, options);
    this.name = "EnvironmentReadError";
  }
}
