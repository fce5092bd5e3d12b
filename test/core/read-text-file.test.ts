import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { readTextFile } from "../../audit/core/read-text-file.ts";

describe("readTextFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parity-read-"));
    await writeFile(join(dir, "ok.yaml"), "a: 1\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const asInputError = (reason: string) => new ParityInputError(`cannot read it: ${reason}`);

  it("returns the text of a readable file", async () => {
    await expect(readTextFile(join(dir, "ok.yaml"), asInputError)).resolves.toBe("a: 1\n");
  });

  it.each([
    ["a missing file", "missing.yaml", "cannot read it: file not found"],
    ["a directory", ".", "cannot read it: is a directory, not a file"],
  ])("names %s in plain words, with the caller's error type", async (_name, file, message) => {
    const failure = readTextFile(join(dir, file), asInputError);
    await expect(failure).rejects.toBeInstanceOf(ParityInputError);
    await expect(failure).rejects.toThrow(message);
  });

  it("refuses a FIFO at once instead of waiting for a writer that never comes", async () => {
    const fifo = join(dir, "config.fifo");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    const failure = readTextFile(fifo, asInputError);
    await expect(failure).rejects.toBeInstanceOf(ParityInputError);
    await expect(failure).rejects.toThrow("cannot read it: not a regular file (a FIFO)");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
