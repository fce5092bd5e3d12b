// Reads and validates a masking rules file (YAML, kept next to parity.config.yaml):
// read → zod schema → normalize, collecting every problem with its path before failing once.
import { resolve } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ParityInputError } from "../core/errors.ts";
import { readTextFile } from "../core/read-text-file.ts";
import * as z from "../core/zod.ts";
import type { ColumnRule, HashingTransformer, MaskingRules, TableRules } from "./types.ts";

export const HASHING_TRANSFORMERS: readonly HashingTransformer[] = [
  "email",
  "email-case-sensitive",
  "name",
  "address",
  "redact",
  "phone",
  "ssn",
  "digits",
  "card",
  "iban",
  "ip",
  "keep-year",
];

const RULE_FORMS = `${HASHING_TRANSFORMERS.join(", ")}, null, keep, { date-shift: DAYS }, { fixed: VALUE }, { keep: REASON } or { safe: REASON }`;

const columnRuleSchema = z.union(
  [
    z.enum([...HASHING_TRANSFORMERS, "null", "keep"]),
    // YAML `column: null` reads as "set it to NULL".
    z.null(),
    z.strictObject({ fixed: z.union([z.string(), z.number(), z.boolean()]) }),
    z.strictObject({ "date-shift": z.number().int().min(1).max(36500) }),
    z.strictObject({ keep: z.string() }),
    z.strictObject({ safe: z.string().trim().min(1, "a reviewed-safe mark needs a reason") }),
  ],
  { error: `expected one of ${RULE_FORMS}` },
);

const rulesFileSchema = z.strictObject({
  version: z.literal(1, { error: "expected 1 (the only rules file version so far)" }).optional(),
  tables: z.record(
    z.string().regex(/^[^.\s]+(\.[^.\s]+)?$/),
    z.record(z.string().min(1), columnRuleSchema, {
      error: (issue) => (issue.code === "invalid_type" ? "expected a map of column: rule" : undefined),
    }),
    {
      error: (issue) => {
        if (issue.code === "invalid_type") return "expected a map of `schema.table`: { column: rule }";
        if (issue.code === "invalid_key")
          return "table keys are `table` or `schema.table` (one dot, no spaces)";
        return undefined;
      },
    },
  ),
});

type RawColumnRule = z.infer<typeof columnRuleSchema>;

/** Reads, validates and normalizes a masking rules file; throws ParityInputError listing every problem. */
export async function loadMaskingRules(file: string): Promise<MaskingRules> {
  const path = resolve(file);
  const text = await readTextFile(
    path,
    (reason) => new ParityInputError(`${path}: cannot read masking rules: ${reason}`),
  );
  return parseMaskingRules(text, path);
}

export function parseMaskingRules(text: string, file: string): MaskingRules {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message : String(error);
    throw new ParityInputError(`${file}: masking rules are not valid YAML`, [`${file}: ${detail}`]);
  }
  const parsed = rulesFileSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${file}: ${issue.path.length > 0 ? issue.path.join(".") : "(top level)"}: ${issue.message}`,
    );
    throw new ParityInputError(`${file}: invalid masking rules`, problems);
  }

  const problems: string[] = [];
  const tables: TableRules[] = [];
  const seen = new Map<string, string>();
  for (const [key, columns] of Object.entries(parsed.data.tables)) {
    const [schema, table] = key.includes(".") ? (key.split(".") as [string, string]) : ["public", key];
    const qualified = `${schema}.${table}`;
    const earlier = seen.get(qualified);
    if (earlier !== undefined) {
      problems.push(`${file}: tables.${key}: same table as tables.${earlier}`);
      continue;
    }
    seen.set(qualified, key);
    tables.push({
      schema,
      table,
      columns: Object.fromEntries(Object.entries(columns).map(([name, raw]) => [name, normalize(raw)])),
    });
  }
  if (problems.length > 0) throw new ParityInputError(`${file}: invalid masking rules`, problems);
  return { file, tables };
}

function normalize(raw: RawColumnRule): ColumnRule {
  if (raw === null || raw === "null") return { transform: "null" };
  if (raw === "keep") return { transform: "keep" };
  if (typeof raw === "string") return { transform: raw };
  if ("date-shift" in raw) return { transform: "date-shift", days: raw["date-shift"] };
  if ("fixed" in raw) return { transform: "fixed", value: String(raw.fixed) };
  if ("keep" in raw) return { transform: "keep", reason: raw.keep };
  return { transform: "safe", reason: raw.safe };
}
