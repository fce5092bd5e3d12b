// How values and definitions read in findings.
import { createTwoFilesPatch } from "diff";
import type { PropValue } from "./model.ts";

export function describeValue(value: PropValue | undefined): string {
  if (value === undefined || value === null) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : `[${value.join(", ")}]`;
  const text = String(value);
  return text.includes("\n") || text.length > 60 ? "(see diff)" : text;
}

/** A unified diff of two definitions, headed by the environments they come from. */
export function definitionDiff(
  name: string,
  baseline: { environment: string; text: string },
  target: { environment: string; text: string },
): string {
  return createTwoFilesPatch(
    `${baseline.environment}/${name}`,
    `${target.environment}/${name}`,
    `${baseline.text}\n`,
    `${target.text}\n`,
    undefined,
    undefined,
    { context: 3 },
  );
}
