// A record log in a local directory: one file per record. A record appears whole or not at all
// (written to a hidden temporary file with write-file-atomic, fsynced, then hard-linked to its
// name) and only if no file has that name yet: link(2) fails with EEXIST, which makes the create
// exclusive like open(…, "wx") but without a window where a reader could see a half-written file.

import { randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { link, lstat, mkdir, open, readdir, readFile, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { ParityInputError } from "../../core/errors.ts";
import {
  errorCode as codeOf,
  NOT_A_FILE,
  parseRecordName,
  type RecordName,
  type RecordStore,
  sortEntries,
} from "./record-store.ts";

export class DirectoryStore implements RecordStore {
  private readonly directory: string;

  constructor(
    private readonly spec: string,
    cwd: string,
  ) {
    this.directory = resolve(cwd, spec);
  }

  describe(): string {
    return this.spec;
  }

  async names(): Promise<RecordName[]> {
    let dirents: Dirent[];
    try {
      dirents = await readdir(this.directory, { withFileTypes: true });
    } catch (error) {
      // A log that was never appended to is empty; anything else (a file, a FIFO, no permission) is not a log.
      if (codeOf(error) === "ENOENT") return [];
      throw new ParityInputError(
        `cannot read the record log ${this.spec}: ${codeOf(error) ?? String(error)}`,
      );
    }
    return sortEntries(
      dirents
        // Dot files are the temporary files of appends in flight (or one that crashed).
        .filter((dirent) => !dirent.name.startsWith("."))
        .map((dirent) => ({ name: dirent.name, sequence: parseRecordName(dirent.name)?.sequence ?? null })),
    );
  }

  async read(name: string): Promise<{ text?: string; error?: string }> {
    const file = join(this.directory, name);
    try {
      // Never open a FIFO or device (it would block), nor follow a link out of the log.
      if (!(await lstat(file)).isFile()) return { error: NOT_A_FILE };
      return { text: await readFile(file, "utf8") };
    } catch (error) {
      return { error: codeOf(error) ?? String(error) };
    }
  }

  async createExclusive(name: string, text: string): Promise<"created" | "exists"> {
    try {
      await mkdir(this.directory, { recursive: true });
    } catch (error) {
      throw new ParityInputError(
        `cannot create the record log directory ${this.spec}: ${codeOf(error) ?? String(error)}`,
      );
    }
    const target = join(this.directory, name);
    const temporary = join(this.directory, `.${name}.${randomUUID()}.tmp`);
    await writeFileAtomic(temporary, text, { mode: 0o644 });
    try {
      await link(temporary, target);
      return "created";
    } catch (error) {
      if (codeOf(error) === "EEXIST") return "exists";
      // File systems without hard links: fall back to an exclusive create and a synced write.
      if (codeOf(error) === "EPERM" || codeOf(error) === "ENOTSUP" || codeOf(error) === "EOPNOTSUPP") {
        return await createWithOpen(target, text);
      }
      throw new ParityInputError(
        `cannot write record ${name} to ${this.spec}: ${codeOf(error) ?? String(error)}`,
      );
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }
}

async function createWithOpen(target: string, text: string): Promise<"created" | "exists"> {
  let handle: import("node:fs/promises").FileHandle;
  try {
    handle = await open(target, "wx", 0o644);
  } catch (error) {
    if (codeOf(error) === "EEXIST") return "exists";
    throw error;
  }
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  return "created";
}
