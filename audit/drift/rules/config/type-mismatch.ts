// Same key, different type. An error in both directions: a secret stored as a plain String in the
// target is readable by anyone with ssm:GetParameter*, and code written for one type breaks on the
// other (a SecureString read without decryption yields ciphertext; StringList values are split on ",").
import { makeFinding } from "../../../core/finding.ts";
import type { ConfigKeysRule } from "../../checks/config-keys/types.ts";

export const typeMismatch: ConfigKeysRule = {
  meta: {
    id: "config/type-mismatch",
    description: "A key has a different type in the target (String, StringList, SecureString).",
    defaultSeverity: "error",
  },
  check({ baseline, target }) {
    const targetByKey = new Map(target.keys.map((k) => [k.key, k]));
    return baseline.keys.flatMap((b) => {
      const t = targetByKey.get(b.key);
      if (t === undefined || t.type === b.type) return [];
      const why =
        b.type === "SecureString"
          ? ` (a secret stored in plain text in ${target.environment})`
          : t.type === "SecureString"
            ? " (code that reads it without decryption gets ciphertext)"
            : "";
      return [
        makeFinding({
          ruleId: typeMismatch.meta.id,
          severity: typeMismatch.meta.defaultSeverity,
          message: `Config key "${b.key}" is ${b.type} in ${baseline.environment} but ${t.type} in ${target.environment}${why}`,
          environment: target.environment,
          objectType: "config-key",
          object: b.key,
          expected: { type: b.type },
          actual: { type: t.type },
        }),
      ];
    });
  },
};
