// The masking key: where it comes from, and the HMAC pads PostgreSQL uses to compute HMAC-SHA256
// with the core sha256() function (PostgreSQL 11+), so masking needs no extension in the clone.
import { createHash, createHmac } from "node:crypto";
import { ParityInputError } from "../core/errors.ts";

export const MASKING_KEY_ENV = "PARITY_MASKING_KEY";
/** Shorter keys are guessable; a clone's masked values would then be reversible by brute force. */
export const MIN_KEY_BYTES = 16;

const BLOCK_BYTES = 64;

export interface HmacPads {
  inner: Buffer;
  outer: Buffer;
}

/** RFC 2104: HMAC(K, m) = H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m)), K' = K (or H(K) when longer than a block), zero-padded. */
export function hmacPads(key: string | Buffer): HmacPads {
  const raw = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  const block = Buffer.alloc(BLOCK_BYTES);
  (raw.length > BLOCK_BYTES ? createHash("sha256").update(raw).digest() : raw).copy(block);
  return {
    inner: Buffer.from(block.map((byte) => byte ^ 0x36)),
    outer: Buffer.from(block.map((byte) => byte ^ 0x5c)),
  };
}

/** The same keyed digest the masking SQL computes, for callers and tests that need it in Node. */
export function maskingDigestHex(key: string | Buffer, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("hex");
}

export function assertUsableKey(key: string | Buffer | undefined, source: string): string | Buffer {
  if (key === undefined || key.length === 0) {
    throw new ParityInputError(
      `no masking key: set ${MASKING_KEY_ENV} or pass --key-ssm-parameter NAME (the key is never read from the rules file)`,
    );
  }
  const bytes = typeof key === "string" ? Buffer.byteLength(key, "utf8") : key.length;
  if (bytes < MIN_KEY_BYTES) {
    throw new ParityInputError(
      `masking key from ${source} is ${bytes} bytes; use at least ${MIN_KEY_BYTES} random bytes`,
    );
  }
  return key;
}

export interface KeySourceOptions {
  /** SSM parameter holding the key (a SecureString); fetched with decryption only when given. */
  ssmParameter?: string;
  region?: string;
  /** SSM endpoint override (tests, VPC endpoints). */
  ssmEndpoint?: string;
  env?: NodeJS.ProcessEnv;
}

/** The key from SSM when a parameter is named, else from PARITY_MASKING_KEY; refuses when there is none. */
export async function resolveMaskingKey(options: KeySourceOptions = {}): Promise<string | Buffer> {
  if (options.ssmParameter) {
    const value = await readSsmKey(options.ssmParameter, options);
    return assertUsableKey(value, `SSM parameter ${options.ssmParameter}`);
  }
  const env = options.env ?? process.env;
  return assertUsableKey(env[MASKING_KEY_ENV], MASKING_KEY_ENV);
}

async function readSsmKey(name: string, options: KeySourceOptions): Promise<string | undefined> {
  const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
  const client = new SSMClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.ssmEndpoint ? { endpoint: options.ssmEndpoint } : {}),
  });
  try {
    // Decryption is asked for here only because the caller named this parameter as the masking key.
    const result = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return result.Parameter?.Value;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ParityInputError(`cannot read the masking key from SSM parameter ${name}: ${reason}`);
  } finally {
    client.destroy();
  }
}
