// The `promotion:` block of parity.config.yaml: where the record log is and which key signs it.
// The schema lives here beside its one reader, like lint's; parity-config validates it with the rest
// of the file (so a typo is reported with every other problem, exit 2) and resolves its paths.
import { isAbsolute, resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import * as z from "../../core/zod.ts";
import type { SigningKeySpec } from "./signing-key.ts";

const nonEmpty = z.string().trim().min(1, "must not be empty");

/** A value that is a key rather than the name of one: refused without being echoed. */
const notKeyMaterial = (what: string) =>
  nonEmpty.refine((value) => !/-----BEGIN |PRIVATE KEY/.test(value), {
    message: `looks like key material: name a ${what}, never put the key in the config`,
  });

export const signingKeyConfigSchema = z
  .strictObject({
    /** A PKCS#8 PEM Ed25519 private key, mode 0600 (relative to the config file). */
    file: notKeyMaterial("file").optional(),
    /** An SSM SecureString parameter holding that PEM. */
    ssmParameter: notKeyMaterial("parameter")
      .regex(/^\//, "must start with / (an SSM parameter name)")
      .optional(),
    region: nonEmpty.optional(),
    endpoint: z.url().optional(),
  })
  .superRefine((key, context) => {
    const given = [key.file, key.ssmParameter].filter((value) => value !== undefined).length;
    if (given !== 1) {
      context.addIssue({
        code: "custom",
        message: `give exactly one of file (a 0600 PEM file) or ssmParameter (an SSM SecureString)${given > 1 ? ", not both" : ""}`,
      });
    }
    if (key.file !== undefined && (key.region !== undefined || key.endpoint !== undefined)) {
      context.addIssue({
        code: "custom",
        message: "region and endpoint go with ssmParameter, not with file",
      });
    }
  });

export const promotionConfigSchema = z.strictObject({
  /** The record log: a directory (relative to the config file) or s3://bucket/prefix. */
  log: nonEmpty.refine((value) => !value.startsWith("s3://") || /^s3:\/\/[^/]+/.test(value), {
    message: "must be a directory or s3://bucket/prefix",
  }),
  signingKey: signingKeyConfigSchema,
  /** The public key (SPKI PEM) `parity record verify` checks with; default: derived from signingKey. */
  publicKey: notKeyMaterial("file").optional(),
});

export type PromotionConfig = z.infer<typeof promotionConfigSchema>;

/** The `promotion:` block after loading: paths absolute against the config file's directory. */
export interface PromotionSettings {
  /** Directory path (absolute) or s3://bucket/prefix, as openRecordLog takes it. */
  log: string;
  signingKey: SigningKeySpec;
  publicKeyFile?: string;
}

/** What parity-config's loader calls: the raw block, with relative paths resolved against `dir`. */
export function normalizePromotion(raw: PromotionConfig, dir: string): PromotionSettings {
  const fromDir = (path: string) => (isAbsolute(path) ? path : resolve(dir, path));
  const { file, ssmParameter, region, endpoint } = raw.signingKey;
  const signingKey: SigningKeySpec =
    file !== undefined
      ? { file: fromDir(file) }
      : {
          ssmParameter: ssmParameter as string,
          ...(region !== undefined ? { region } : {}),
          ...(endpoint !== undefined ? { endpoint } : {}),
        };
  return {
    log: raw.log.startsWith("s3://") ? raw.log : fromDir(raw.log),
    signingKey,
    ...(raw.publicKey !== undefined ? { publicKeyFile: fromDir(raw.publicKey) } : {}),
  };
}

/**
 * The promotion settings of a loaded config, for `parity promote`, `parity undo` and
 * `parity record verify --config`; a config without a `promotion:` block is bad input (exit 2).
 */
export function resolvePromotionSettings(config: {
  file: string;
  promotion?: PromotionSettings;
}): PromotionSettings {
  if (!config.promotion) {
    throw new ParityInputError(
      `${config.file} has no promotion: block; add promotion.log (a directory or s3://bucket/prefix) and promotion.signingKey ({ file } or { ssmParameter }) — see docs/promotion.md`,
    );
  }
  return config.promotion;
}
