// The Ed25519 key that signs promotion records, and the public half that verifies them. Keys come
// from a file (a PKCS#8 PEM private key, mode 0600) or an SSM SecureString holding that PEM; no flag
// or config value ever carries key material itself, and no error message includes it.
// node:crypto only: Ed25519 signs the message itself (no separate digest), so `sign(null, …)`.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { describeAwsError } from "../../aws/errors.ts";
import { ParityInputError } from "../../core/errors.ts";

export type SigningKeySpec = { file: string } | { ssmParameter: string; region?: string; endpoint?: string };

export interface RecordSigner {
  /** SHA-256 (hex, first 16) of the public key's SPKI DER: the record's `keyId`. */
  keyId: string;
  /** Ed25519 signature (base64) over the UTF-8 bytes of `hash`. */
  sign(hash: string): string;
  publicKeyPem: string;
}

export interface RecordVerifier {
  keyId: string;
  /** False for a wrong signature, a malformed one, or one that is not base64. */
  verify(hash: string, signature: string): boolean;
}

export type VerifierSpec = { publicKeyFile: string } | { privateKey: SigningKeySpec };

export async function loadSigner(
  spec: SigningKeySpec,
  options: { ssmClient?: SSMClient } = {},
): Promise<RecordSigner> {
  const { pem, source } = "file" in spec ? await readKeyFile(spec.file) : await readSsmKey(spec, options);
  const privateKey = parsePrivateKey(pem, source);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    sign: (hash) => cryptoSign(null, Buffer.from(hash, "utf8"), privateKey).toString("base64"),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export async function loadVerifier(
  spec: VerifierSpec,
  options: { ssmClient?: SSMClient } = {},
): Promise<RecordVerifier> {
  let publicKey: KeyObject;
  if ("publicKeyFile" in spec) {
    const pem = await readText(spec.publicKeyFile, "public key file");
    publicKey = parsePublicKey(pem, spec.publicKeyFile);
  } else {
    const signer = await loadSigner(spec.privateKey, options);
    publicKey = createPublicKey(signer.publicKeyPem);
  }
  return verifierFor(publicKey);
}

/** A verifier for a public key already in hand (a PEM string). */
export function verifierFromPem(pem: string, source = "public key"): RecordVerifier {
  return verifierFor(parsePublicKey(pem, source));
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

function verifierFor(publicKey: KeyObject): RecordVerifier {
  return {
    keyId: keyIdOf(publicKey),
    verify(hash, signature) {
      const bytes = Buffer.from(signature, "base64");
      // Buffer.from skips what is not base64; a signature that does not round-trip was altered.
      if (bytes.length !== 64 || bytes.toString("base64") !== signature) return false;
      try {
        return cryptoVerify(null, Buffer.from(hash, "utf8"), publicKey, bytes);
      } catch {
        return false;
      }
    },
  };
}

async function readKeyFile(file: string): Promise<{ pem: string; source: string }> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    throw new ParityInputError(`cannot read the signing key file ${file}: ${reasonOf(error)}`);
  }
  // Like ssh with its identity files: a private key others can read is refused, not just warned
  // about, because a record signed with a leaked key proves nothing. (Windows has no such bits.)
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new ParityInputError(
      `the signing key file ${file} is accessible by group or others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
    );
  }
  return { pem: await readText(file, "signing key file"), source: file };
}

async function readText(file: string, what: string): Promise<string> {
  try {
    const info = await stat(file);
    // A FIFO or device would block the read forever; a key is always a regular file.
    if (!info.isFile()) throw new ParityInputError(`the ${what} ${file} is not a regular file`);
    return await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ParityInputError) throw error;
    throw new ParityInputError(`cannot read the ${what} ${file}: ${reasonOf(error)}`);
  }
}

async function readSsmKey(
  spec: { ssmParameter: string; region?: string; endpoint?: string },
  options: { ssmClient?: SSMClient },
): Promise<{ pem: string; source: string }> {
  const source = `SSM parameter ${spec.ssmParameter}`;
  // Loaded on demand: a file key needs no AWS SDK.
  const { GetParameterCommand } = await import("@aws-sdk/client-ssm");
  const client =
    options.ssmClient ??
    (await import("../../aws/clients.ts")).createSsmClient({
      ...(spec.region !== undefined ? { region: spec.region } : {}),
      ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
    });
  try {
    // GetParameter (SSM API reference; @aws-sdk/client-ssm GetParameterCommand): Name, WithDecryption;
    // the result's Parameter.Type is String | StringList | SecureString. Decryption is asked for only
    // because the config names this parameter as the signing key.
    const result = await client.send(
      new GetParameterCommand({ Name: spec.ssmParameter, WithDecryption: true }),
    );
    const parameter = result.Parameter;
    if (parameter?.Type !== "SecureString") {
      throw new ParityInputError(
        `${source} is a ${parameter?.Type ?? "parameter of unknown type"}: a signing key must be a SecureString (encrypted with KMS)`,
      );
    }
    if (!parameter.Value) throw new ParityInputError(`${source} is empty`);
    return { pem: parameter.Value, source };
  } catch (error) {
    if (error instanceof ParityInputError) throw error;
    throw new ParityInputError(`cannot read the signing key from ${source}: ${describeAwsError(error)}`);
  } finally {
    if (options.ssmClient === undefined) client.destroy();
  }
}

function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    // The parser's message is generic, and the input is the secret: name only where it came from.
    throw new ParityInputError(`the signing key from ${source} is not a PEM private key (PKCS#8)`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new ParityInputError(
      `the signing key from ${source} is ${key.asymmetricKeyType ?? "not asymmetric"}; records are signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
    );
  }
  return key;
}

function parsePublicKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw new ParityInputError(`${source} is not a PEM public key (SPKI)`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new ParityInputError(
      `${source} is ${key.asymmetricKeyType ?? "not asymmetric"}, not an Ed25519 key`,
    );
  }
  return key;
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") return code === "ENOENT" ? "no such file" : code;
  return error instanceof Error ? error.message : String(error);
}
