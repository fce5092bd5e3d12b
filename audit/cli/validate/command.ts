// `parity validate`: the config check alone (parse, validate, cross-field rules, rule and ignore
// patterns against every rule parity has), without reading any environment. For pre-commit hooks
// and for trying a config before the nightly job does.
import { resolve } from "node:path";
import { ruleRegistry } from "../../drift/rules/index.ts";
import { LINT_RULE_IDS } from "../../lint/rules/ids.ts";
import { configJsonSchema } from "../../parity-config/json-schema.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import type { ParityConfig } from "../../parity-config/types.ts";

export interface ValidateOptions {
  config: string;
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
}

/** The loaded config; a bad one throws the loader's ParityInputError (exit 2) with every problem. */
export async function validateCommand(options: ValidateOptions): Promise<ParityConfig> {
  return loadParityConfig(resolve(options.cwd ?? process.cwd(), options.config), {
    ...(options.variables ? { env: options.variables } : {}),
    ruleIds: [...ruleRegistry.map((rule) => rule.id), ...LINT_RULE_IDS],
  });
}

export function formatValid(config: ParityConfig): string {
  const names = Object.keys(config.environments);
  return `${config.file}: valid (baseline ${config.baseline}; ${names.length} environments: ${names.join(", ")})\n`;
}

export function formatJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
