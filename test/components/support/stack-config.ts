// Loads a committed Pulumi.<stack>.yaml into the Pulumi runtime's config, the way the CLI would
// hand it to the program: objects as JSON, `secure:` placeholders replaced by test values and
// listed as secret keys.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

export function loadStackConfig(
  file: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const document = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(document.config)) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      config[key] = `test-secret-for-${key}`;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  Object.assign(config, overrides);
  pulumi.runtime.setAllConfig(config, secretKeys);
  return config;
}
