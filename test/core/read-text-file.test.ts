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
});
