// The stack file's own rules: which `parity:*` keys exist (a typo is an error with a suggestion,
// never a silently ignored setting), and which keys must be stored encrypted (`secure:`).
//
// `Config.requireSecret`/`getSecret` wrap whatever the stack file holds as a secret *output*, so
// a plain-text password in Pulumi.staging.yaml would pass any check made on the value. The only
// place that knows whether the stack file encrypted a key is the engine's list of secret keys
// (PULUMI_CONFIG_SECRET_KEYS, read by the SDK's runtime.isConfigSecret), so that is what is asked,
// whichever API later reads the value.
import * as pulumi from "@pulumi/pulumi";
import { closestName } from "../audit/core/did-you-mean.ts";

/** Every `parity:*` key the stack program reads. */
export const PARITY_KEYS = [
  "tier",
  "branch",
  "masterPassword",
  "maskingKey",
  "maskingKeyReference",
  "maskingRules",
  "maskingConnectTimeoutSeconds",
  "maskingDeadlineMinutes",
  "cloneGeneration",
  "snapshotIdentifier",
  "snapshotType",
  "restoreToTime",
  "subnetGroupName",
  "securityGroupIds",
  "vpcId",
  "clientSecurityGroupIds",
  "maskingRunnerCidrBlocks",
  "maskingRunnerSecurityGroupId",
  "previewTtlDays",
  "tags",
] as const;

/** `parity:*` keys that must be stored encrypted. */
export const SECRET_PARITY_KEYS: readonly string[] = ["masterPassword", "maskingKey"];

/** Problems for `parity:*` keys the program does not read, each with a suggestion when one is close. */
export function unknownParityKeys(fullKeys: readonly string[]): string[] {
  const known: readonly string[] = PARITY_KEYS;
  return fullKeys
    .filter((fullKey) => fullKey.startsWith("parity:"))
    .map((fullKey) => fullKey.slice("parity:".length))
    .filter((key) => !known.includes(key))
    .sort()
    .map((key) => {
      const suggestion = closestName(key, known);
      return `parity:${key} is not a parity setting${suggestion ? ` (did you mean parity:${suggestion}?)` : ""}`;
    });
}

/** The engine's answer to "is this key encrypted in the stack file?". */
export function isEncryptedInStack(fullKey: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  if (typeof runtime.isConfigSecret !== "function") {
    // Fail closed: without the engine's list, a plain-text secret cannot be told apart.
    throw new Error("@pulumi/pulumi no longer exposes runtime.isConfigSecret; parity cannot check secrets");
  }
  return runtime.isConfigSecret(fullKey);
}

/** Keys that must be encrypted but are stored in plain text, named with the command that fixes them. */
export function plainTextSecrets(
  presentKeys: readonly string[],
  mustBeSecret: readonly string[],
  isEncrypted: (fullKey: string) => boolean = isEncryptedInStack,
): string[] {
  return mustBeSecret
    .filter((fullKey) => presentKeys.includes(fullKey) && !isEncrypted(fullKey))
    .sort()
    .map(
      (fullKey) =>
        `${fullKey} is stored in plain text in the stack file; it is a secret: pulumi config set --secret ${fullKey} <value>`,
    );
}
