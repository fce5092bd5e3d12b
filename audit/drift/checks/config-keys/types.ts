// What every config source yields: a set of keys, each with its type and, only where the source lets
// us read it without decrypting anything, its value.
import type { CompareContext } from "../../../core/check.ts";

export type ConfigKeyType = "String" | "StringList" | "SecureString";

export interface ConfigKey {
  /** The key after stripping the environment's prefix (SSM path, Pulumi project namespace). */
  key: string;
  /** The full name as the source spells it (`/shop/prod/db/url`, `shop:dbUrl`, `DB_URL`). */
  name: string;
  type: ConfigKeyType;
  /** Readable values only: never set for SecureString (SSM, Pulumi `secure:`). */
  value?: string;
}

export type ConfigSourceKind = "ssm" | "pulumi" | "dotenv";

export interface ConfigSnapshot {
  environment: string;
  source: ConfigSourceKind;
  /** Where the keys came from: the SSM path or the file, for messages. */
  location: string;
  /** Sorted by key, unique. */
  keys: ConfigKey[];
}

/** What each config rule's check function receives. */
export interface ConfigKeysRuleContext {
  baseline: ConfigSnapshot;
  target: ConfigSnapshot;
  environments: CompareContext;
}
