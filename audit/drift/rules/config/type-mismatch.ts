// Same key, different type. An error in both directions: a secret stored as a plain String in the
// target is readable by anyone with ssm:GetParameter*, and code written for one type breaks on the
// other (a SecureString read without decryption yields ciphertext; StringList values are split on ",").
import { type Rule, report } from "../../../core/rule.ts";
import type { ConfigKeysRuleContext } from "../../checks/config-keys/types.ts";

export const typeMismatch: Rule<ConfigKeysRuleContext, "mismatch" | "secretInPlainText" | "secretInTarget"> =
  {
    meta: {
      id: "config/type-mismatch",
      description: "A key has a different type in the target (String, StringList, SecureString).",
      defaultSeverity: "error",
      messages: {
        mismatch: 'Config key "{{key}}" is {{expected}} in {{baseline}} but {{actual}} in {{target}}',
        secretInPlainText:
          'Config key "{{key}}" is {{expected}} in {{baseline}} but {{actual}} in {{target}} (a secret stored in plain text in {{target}})',
        secretInTarget:
          'Config key "{{key}}" is {{expected}} in {{baseline}} but {{actual}} in {{target}} (code that reads it without decryption gets ciphertext)',
      },
    },
    check({ baseline, target }) {
      const targetByKey = new Map(target.keys.map((k) => [k.key, k]));
      return baseline.keys.flatMap((b) => {
        const t = targetByKey.get(b.key);
        if (t === undefined || t.type === b.type) return [];
        return [
          report(typeMismatch.meta, {
            messageId:
              b.type === "SecureString"
                ? "secretInPlainText"
                : t.type === "SecureString"
                  ? "secretInTarget"
                  : "mismatch",
            data: {
              key: b.key,
              expected: b.type,
              baseline: baseline.environment,
              actual: t.type,
              target: target.environment,
            },
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
