// The JSON Schema of parity.config.yaml, generated from the zod schema the loader validates with,
// so the two cannot disagree. Editors (yaml-language-server) and CI linters use it; the loader
// does not (zod reports better messages and the cross-field rules).
import * as z from "../core/zod.ts";
import { auditConfigSchema } from "./schema.ts";

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(auditConfigSchema, { io: "input", unrepresentable: "any" }),
    title: "parity.config.yaml",
    description:
      "The parity drift audit's config: a baseline, the environments compared with it, rules and ignore entries.",
  };
}
