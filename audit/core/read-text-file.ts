// Reading a file the user named (a config, a rules file, a dotenv file) fails in a few well-known
// ways; say which in plain words and let the caller choose the error (bad input vs unreadable environment).
// Bytes that are not UTF-8 are refused with their position: decoded leniently they would become
// U+FFFD and show up later as drift nobody can explain. Files are size-capped, so a stray 50 MB
// file is an error in milliseconds, not minutes of parsing.
import { constants } from "node:fs";
import { open } from "node:fs/promises";

const REASONS: Record<string, string> = {
  ENOENT: "file not found",
  EACCES: "permission denied",
  EISDIR: "is a directory, not a file",
};

/** Larger than any real config, rules or dotenv file; small enough to parse in well under a second. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
}

export interface ReadTextOptions {
  maxBytes?: number;
}

export async function readTextFile(
  path: string,
  toError: (reason: string, cause: unknown) => Error,
  options: ReadTextOptions = {},
): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    // Read at most one byte past the cap: a huge file (or an endless device) is never read whole.
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever if none comes;
    // a FIFO or socket is then refused by its type (on regular files and devices the flag does nothing).
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      if (info.isFIFO() || info.isSocket()) {
        throw Object.assign(new Error(`not a regular file (a ${info.isFIFO() ? "FIFO" : "socket"})`), {
          code: "EPARITYNOTFILE",
        });
      }
      const chunks: Buffer[] = [];
      let total = 0;
      while (total <= maxBytes) {
        const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
      }
      bytes = Buffer.concat(chunks);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toError(describeFileError(error), error);
  }
  if (bytes.length > maxBytes) {
    throw toError(
      `larger than ${formatBytes(maxBytes)}; this is not a file parity expects to be so big`,
      null,
    );
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== undefined) {
    const { line, column } = positionOf(bytes, invalid);
    throw toError(
      `not valid UTF-8: byte ${invalid} (line ${line}, column ${column}) is not part of a UTF-8 character`,
      null,
    );
  }
  return bytes.toString("utf8");
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    decoder.decode(bytes);
    return undefined;
  } catch {
    // Rare path: find where, by decoding growing prefixes' well-formed part.
  }
  let offset = 0;
  while (offset < bytes.length) {
    const byte = bytes[offset] as number;
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0;
    if (length === 0 || offset + length > bytes.length) return offset;
    try {
      decoder.decode(bytes.subarray(offset, offset + length));
    } catch {
      return offset;
    }
    offset += length;
  }
  return undefined;
}

/** 1-based line and column (in characters) of byte `offset`. */
function positionOf(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString("utf8");
  const lines = before.split("\n");
  return { line: lines.length, column: [...(lines.at(-1) ?? "")].length + 1 };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}
