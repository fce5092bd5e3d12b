// Reading a file the user named (a config, a rules file, a dotenv file) fails in a few well-known
// ways; say which in plain words and let the caller choose the error (bad input vs unreadable environment).
import { readFile } from "node:fs/promises";

const REASONS: Record<string, string> = {
  ENOENT: "file not found",
  EACCES: "permission denied",
  EISDIR: "is a directory, not a file",
};

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
}

export async function readTextFile(
  path: string,
  toError: (reason: string, cause: unknown) => Error,
): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw toError(describeFileError(error), error);
  }
}
