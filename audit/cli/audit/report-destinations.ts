// Where reports go, checked before the audit reads anything, and written so that writing cannot
// hurt: a report lands in a regular file (or a new one) atomically, through write-file-atomic
// (temp file + rename, never half written; it follows a symlink to its target and keeps the
// target's owner and mode); anything else (a device, a FIFO, /dev/stdout, /dev/stderr, whatever a
// symlink points at that is not a regular file) is written through, never replaced: renaming over
// /dev/null or /dev/stderr as root would swap a device node for a file.
// Refused, with exit 2 before any environment is read: a destination that is a file the audit
// reads (the config, a masking rules file, a dotenv or Pulumi file), two reporters onto one stream
// (two files that are one file, or a file that is stdout), a directory, an unwritable place.
import { constants, fstatSync, write } from "node:fs";
import { access, appendFile, type FileHandle, mkdir, open, stat } from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { ParityInputError } from "../../core/errors.ts";
import type { ParityConfig } from "../../parity-config/types.ts";

export interface Destination {
  /** Absolute path; stdout when absent. */
  file?: string;
}

interface Identity {
  dev: number;
  ino: number;
}

type Kind = "file" | "dir" | "device" | "other";

const sameFile = (a: Identity, b: Identity) => a.dev === b.dev && a.ino === b.ino;

async function identityOf(path: string): Promise<(Identity & { kind: Kind }) | undefined> {
  try {
    const info = await stat(path);
    const kind = info.isFile()
      ? "file"
      : info.isDirectory()
        ? "dir"
        : info.isCharacterDevice()
          ? "device"
          : "other";
    return { dev: info.dev, ino: info.ino, kind };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** Files the audit reads: a report written onto one of them would destroy the input. */
export function inputFilesOf(config: ParityConfig): string[] {
  const files = [config.file];
  for (const spec of Object.values(config.environments)) {
    if (spec.database?.maskingRules) files.push(spec.database.maskingRules);
    if (spec.config && "dotenv" in spec.config) files.push(spec.config.dotenv.file);
    if (spec.config && "pulumi" in spec.config) files.push(spec.config.pulumi.file);
    if (spec.pulumi?.outputsFile) files.push(spec.pulumi.outputsFile);
  }
  return files;
}

/** Every problem with every destination, at once; throws a ParityInputError when there is one. */
export async function checkDestinations(
  destinations: readonly Destination[],
  inputs: readonly string[],
  stdoutFd = 1,
): Promise<void> {
  const problems: string[] = [];
  const stdoutInfo = fstatOf(stdoutFd);
  const inputIdentities = (
    await Promise.all(inputs.map(async (file) => ({ file, id: await identityOf(file) })))
  ).filter((input): input is { file: string; id: Identity & { kind: Kind } } => input.id !== undefined);
  const seen: Array<{ label: string; id: Identity }> = [];
  const claim = (label: string, id: Identity | undefined) => {
    if (!id) return;
    const other = seen.find((entry) => sameFile(entry.id, id));
    if (other)
      problems.push(
        `--reporter: ${other.label} and ${label} are the same destination; give each reporter its own`,
      );
    else seen.push({ label, id });
  };

  let toStdout = 0;
  for (const destination of destinations) {
    if (!destination.file) {
      toStdout += 1;
      if (toStdout === 2)
        problems.push("--reporter: two reporters write to stdout; give all but one a file (NAME=FILE)");
      if (toStdout === 1) claim("stdout", stdoutInfo);
      continue;
    }
    const file = destination.file;
    const id = await identityOf(file).catch((error: Error) => {
      problems.push(`--reporter: cannot use ${file}: ${error.message}`);
      return undefined;
    });
    if (id?.kind === "dir") {
      problems.push(`--reporter: ${file} is a directory; name a file in it`);
      continue;
    }
    const input = id && inputIdentities.find((candidate) => sameFile(candidate.id, id));
    if (input) {
      problems.push(
        `--reporter: ${file} is ${input.file}, which the audit reads; write the report elsewhere`,
      );
      continue;
    }
    // Character devices (a terminal, /dev/null) may take several reports: nothing parses them.
    if (id?.kind !== "device") claim(file, id);
    const unwritable = await writabilityProblem(file, id?.kind);
    if (unwritable) problems.push(`--reporter: cannot write ${file}: ${unwritable}`);
  }
  if (problems.length > 0) throw new ParityInputError("invalid --reporter option", problems);
}

function fstatOf(fd: number): Identity | undefined {
  try {
    const info = fstatSync(fd);
    return info.isCharacterDevice() ? undefined : { dev: info.dev, ino: info.ino };
  } catch {
    return undefined;
  }
}

/** Why `file` cannot be written, or undefined. Never opens it: opening a FIFO would block. */
async function writabilityProblem(file: string, kind: Kind | undefined): Promise<string | undefined> {
  if (ownDescriptorOf(file) !== undefined) return kind === undefined ? "no such descriptor" : undefined;
  try {
    if (kind === "other" || kind === "device") {
      await access(file, constants.W_OK);
      return undefined;
    }
    // A regular file is replaced by rename: its directory must be writable; a new file's nearest
    // existing ancestor must be a writable directory (the missing ones are made when writing).
    let directory = dirname(file);
    for (;;) {
      const id = await identityOf(directory);
      if (id) {
        if (id.kind !== "dir") return `${directory} is not a directory`;
        await access(directory, constants.W_OK | constants.X_OK);
        return undefined;
      }
      if (dirname(directory) === directory) return `${directory} does not exist`;
      directory = dirname(directory);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "EACCES" || code === "EPERM" || code === "EROFS"
      ? "permission denied"
      : (error as Error).message;
  }
}

/**
 * `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: the process's own descriptor.
 * Written to it as it is, not opened again: reopening fails for a socket (ENXIO, as under
 * child_process or systemd) and would truncate a file the shell redirected.
 */
export function ownDescriptorOf(file: string): number | undefined {
  if (file === "/dev/stdout") return 1;
  if (file === "/dev/stderr") return 2;
  const match = /^(?:\/dev\/fd|\/proc\/self\/fd)\/(\d+)$/.exec(file);
  return match ? Number(match[1]) : undefined;
}

/** Writes one report; a failure is bad input (exit 2) naming the file, not an internal error. */
export async function writeReportFile(file: string, content: string): Promise<void> {
  const fd = ownDescriptorOf(file);
  if (fd !== undefined) return writeToDescriptor(fd, content, file);
  try {
    const id = await identityOf(file);
    if (id && id.kind !== "file") {
      // Write through: a device, a FIFO, a terminal or pipe behind /dev/stdout. A FIFO nobody
      // reads would block the open forever: probe it without blocking first (ENXIO: no reader).
      await writeThrough(file, content);
      return;
    }
    await makeParentDirectories(dirname(file));
    await writeFileAtomic(file, content);
  } catch (error) {
    throw new ParityInputError(`--reporter: cannot write ${file}: ${(error as Error).message}`);
  }
}

/**
 * Appends to a device, terminal or FIFO. A FIFO nobody reads would block the open forever, so it is
 * first opened without blocking (ENXIO: no reader), and that handle stays open while the report is
 * written: closing it first would hand the reader an end of file before the report.
 */
const READER_WAIT_MS = 2000;

async function writeThrough(file: string, content: string): Promise<void> {
  if (!(await stat(file)).isFIFO()) return appendFile(file, content);
  let probe: FileHandle | undefined;
  // A reader starting alongside (`mkfifo r; jq . r & parity audit -r json=r`) gets a moment to open.
  const giveUpAt = Date.now() + READER_WAIT_MS;
  while (!probe) {
    try {
      probe = await open(file, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENXIO") throw error;
      if (Date.now() >= giveUpAt)
        throw new Error("it is a FIFO no process is reading (nothing would ever take the report)");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    await appendFile(file, content);
  } finally {
    await probe.close();
  }
}

// Not mkdir({ recursive: true }): Node's recursive mkdir spins forever where the parent exists but
// refuses the child with ENOENT (a path under /proc), so the nightly job would hang instead of failing.
async function makeParentDirectories(directory: string): Promise<void> {
  const missing: string[] = [];
  for (let current = directory; !(await identityOf(current)); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

async function writeToDescriptor(fd: number, content: string, file: string): Promise<void> {
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
  if (stream) {
    stream.write(content);
    return;
  }
  try {
    const bytes = Buffer.from(content);
    for (let offset = 0; offset < bytes.length; ) {
      offset += await new Promise<number>((resolve, reject) =>
        write(fd, bytes, offset, bytes.length - offset, null, (error, written) =>
          error ? reject(error) : resolve(written),
        ),
      );
    }
  } catch (error) {
    throw new ParityInputError(`--reporter: cannot write ${file}: ${(error as Error).message}`);
  }
}
