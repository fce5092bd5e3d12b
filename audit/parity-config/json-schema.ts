// The JSON Schema of parity.config.yaml, generated from the zod schema the loader validates with,
// so the two cannot disagree. Editors (yaml-language-server) and CI linters use it; the loader
// does not (zod reports better messages and the cross-field rules).
//
// zod describes the values after `${VAR}` expansion, but an editor sees the file before it: a
// `url: "${DATABASE_URL}"` would be flagged against the URL pattern. So every string the schema
// constrains by a pattern or format also admits a string holding a `${VAR}` reference.
import * as z from "../core/zod.ts";
import { auditConfigSchema } from "./schema.ts";

/** A `${NAME}` or `${NAME:-fallback}` reference anywhere in the string (expand.ts's syntax). */
export const VARIABLE_REFERENCE_PATTERN = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}";

export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(auditConfigSchema, { io: "input", unrepresentable: "any" });
  return {
    ...(admitVariableReferences(generated) as Record<string, unknown>),
    title: "parity.config.yaml",
    description:
      "The parity drift audit's config: a baseline, the environments compared with it, rules and ignore entries.",
  };
}

function admitVariableReferences(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(admitVariableReferences);
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node).map(([key, child]) => [key, admitVariableReferences(child)]);
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (schema.type === "string" && (schema.pattern !== undefined || schema.format !== undefined)) {
    return { anyOf: [schema, { type: "string", pattern: VARIABLE_REFERENCE_PATTERN }] };
  }
  return schema;
}
