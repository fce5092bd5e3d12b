// Signing keys from files: the fixed test key signs deterministically (Ed25519), a key file others
// can read is refused, and no error message carries key material.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { loadSigner, loadVerifier } from "../../audit/promote/record/signing-key.ts";
import {
  OTHER_TEST_KEY,
  privateKeyCopy,
  TEST_KEY,
  TEST_KEY_ID,
  TEST_PUBLIC_KEY,
  tempDir,
} from "./support/records.ts";

const HASH = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
let dir: string;
let keyFile: string;

beforeAll(async () => {
  dir = await tempDir();
  keyFile = await privateKeyCopy(dir);
});

describe("loadSigner from a file", () => {
  it("signs with the fixed test key: keyId and signature are stable", async () => {
    const signer = await loadSigner({ file: keyFile });
    expect(signer.keyId).toBe(TEST_KEY_ID);
    // Ed25519 is deterministic (RFC 8032): the same key and message always give the same signature.
    const signature = signer.sign(HASH);
    expect(signature).toBe(signer.sign(HASH));
    expect(Buffer.from(signature, "base64")).toHaveLength(64);
    expect(signer.publicKeyPem.trim()).toBe((await readFile(TEST_PUBLIC_KEY, "utf8")).trim());
  });

  it("signs what openssl verifies (the UTF-8 bytes of the hash)", async () => {
    const signer = await loadSigner({ file: keyFile });
    await writeFile(join(dir, "message"), HASH);
    await writeFile(join(dir, "signature"), Buffer.from(signer.sign(HASH), "base64"));
    const out = execFileSync("openssl", [
      "pkeyutl",
      "-verify",
      "-pubin",
      "-inkey",
      TEST_PUBLIC_KEY,
      "-rawin",
      "-in",
      join(dir, "message"),
      "-sigfile",
      join(dir, "signature"),
    ]).toString();
    expect(out).toMatch(/Signature Verified Successfully/);
  });

  it.each([0o644, 0o640, 0o604])("refuses a key file with mode %o", async (mode) => {
    const file = await privateKeyCopy(dir, TEST_KEY, `open-${mode.toString(8)}.pem`);
    await chmod(file, mode);
    const error = await loadSigner({ file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    expect(String(error)).toContain(`chmod 600 ${file}`);
  });

  it("refuses a missing file, naming it", async () => {
    await expect(loadSigner({ file: join(dir, "nope.pem") })).rejects.toThrow(/nope\.pem: no such file/);
  });

  it("refuses what is not a PEM key without printing it", async () => {
    const file = join(dir, "garbage.pem");
    await writeFile(file, "-----BEGIN PRIVATE KEY-----\nTOPSECRETNOTAKEY\n-----END PRIVATE KEY-----\n", {
      mode: 0o600,
    });
    const error = await loadSigner({ file }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/is not a PEM private key/);
    expect(String(error)).not.toContain("TOPSECRET");
  });

  it("refuses a key of another algorithm", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const file = join(dir, "ec.pem");
    await writeFile(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    const error = await loadSigner({ file }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/is ec; records are signed with Ed25519/);
    expect(String(error)).not.toContain("PRIVATE KEY");
  });

  it("does not block on a FIFO", async () => {
    const fifo = join(dir, "key.fifo");
    execFileSync("mkfifo", ["-m", "600", fifo]);
    await expect(loadSigner({ file: fifo })).rejects.toThrow(/not a regular file/);
  });
});

describe("loadVerifier", () => {
  it("verifies the signer's signatures from the public key file, and nothing else", async () => {
    const signer = await loadSigner({ file: keyFile });
    const verifier = await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY });
    expect(verifier.keyId).toBe(signer.keyId);
    const signature = signer.sign(HASH);
    expect(verifier.verify(HASH, signature)).toBe(true);
    expect(verifier.verify(HASH.replace(/^b/, "c"), signature)).toBe(false);
    const flipped = Buffer.from(signature, "base64");
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(verifier.verify(HASH, flipped.toString("base64"))).toBe(false);
    expect(verifier.verify(HASH, `${signature}!`)).toBe(false);
    expect(verifier.verify(HASH, "")).toBe(false);
  });

  it("derives the public key from the private key spec", async () => {
    const verifier = await loadVerifier({ privateKey: { file: keyFile } });
    expect(verifier.keyId).toBe(TEST_KEY_ID);
  });

  it("a different key does not verify and has another keyId", async () => {
    const other = await loadSigner({ file: await privateKeyCopy(dir, OTHER_TEST_KEY, "other.pem") });
    const verifier = await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY });
    expect(other.keyId).not.toBe(verifier.keyId);
    expect(verifier.verify(HASH, other.sign(HASH))).toBe(false);
  });

  it("refuses a public key file that is not a key", async () => {
    const file = join(dir, "not-public.pem");
    await writeFile(file, "hello");
    await expect(loadVerifier({ publicKeyFile: file })).rejects.toThrow(
      /not-public\.pem is not a PEM public key/,
    );
  });
});
