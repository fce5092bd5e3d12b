// How values and definitions read in findings.
import { createTwoFilesPatch } from "diff";
import type { PropValue, SchemaObject } from "./model.ts";
import { crossMajorReason } from "./sql-standard-syntax.ts";

export function describeValue(value: PropValue | undefined): string {
  if (value === undefined || value === null) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : `[${value.join(", ")}]`;
  const text = String(value);
  return text.includes("\n") || text.length > 60 ? "(see diff)" : text;
}

/**
 * A unified diff of two definitions, headed by the environments they come from, and by the
 * reason when the difference is a real one between majors (crossMajorReason).
 */
export function definitionDiff(
  name: string,
  baseline: { environment: string; text: string },
  target: { environment: string; text: string },
): string {
  const reason = crossMajorReason(baseline.text, target.text);
  return (
    (reason ? `# ${reason}\n` : "") +
    createTwoFilesPatch(
      `${baseline.environment}/${name}`,
      `${target.environment}/${name}`,
      `${baseline.text}\n`,
      `${target.text}\n`,
      undefined,
      undefined,
      { context: 3 },
    )
  );
}

/**
 * Why a property differs between two majors although the DDL may be the same, when the
 * difference is real: PostgreSQL 18 creates subscriptions with streaming = parallel unless told
 * otherwise, earlier majors with streaming off (13 cannot stream at all).
 */
export function crossMajorPropertyReason(
  objectType: string,
  prop: string,
  majors: { baseline: number; target: number },
  values: { baseline: PropValue; target: PropValue },
): string | null {
  const across18 = majors.baseline >= 18 !== majors.target >= 18;
  if (objectType === "subscription" && prop === "streaming" && across18) {
    const older = majors.baseline < 18 ? values.baseline : values.target;
    const newer = majors.baseline < 18 ? values.target : values.baseline;
    if (older === "off" && newer === "parallel") {
      return "PostgreSQL 18 creates subscriptions with streaming = parallel by default, earlier majors with streaming off: the same DDL gives a different subscription";
    }
  }
  if (objectType === "column" && prop === "notNullName" && across18) {
    return "PostgreSQL 18 keeps a NOT NULL constraint's name, 17 and earlier store none: a name the DDL gives shows on 18 only";
  }
  return null;
}

/** An absent object's properties plus what goes with it (`index public.t_pkey`, …), by name. */
export function withContents(
  props: Record<string, PropValue>,
  contains: readonly SchemaObject[],
): Record<string, PropValue> {
  if (contains.length === 0) return props;
  return { ...props, contains: contains.map((object) => `${object.objectType} ${object.name}`) };
}

/** `table public.orders`; privileges name their grantee: `privilege public.orders to app_rw`. */
export function describeObject(object: SchemaObject): string {
  const grantee = object.objectType === "privilege" ? ` to ${String(object.props.grantee)}` : "";
  return `${object.objectType} ${object.name}${grantee}`;
}

/** ` (with 3 columns, 1 index)`: what goes with an absent object, counted by kind. */
export function describeContents(contains: readonly SchemaObject[]): string {
  if (contains.length === 0) return "";
  const counts = new Map<string, number>();
  for (const object of contains) counts.set(object.objectType, (counts.get(object.objectType) ?? 0) + 1);
  const parts = [...counts].map(([type, count]) => `${count} ${count === 1 ? type : plural(type)}`);
  return ` (with ${parts.join(", ")})`;
}

function plural(type: string): string {
  if (type === "index") return "indexes";
  if (type.endsWith("y")) return `${type.slice(0, -1)}ies`;
  return `${type}s`;
}
