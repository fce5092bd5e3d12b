// Canonical JSON for hashing promotion records: the same value always gives the same bytes, so a
// record's hash can be recomputed by anyone from the file. After RFC 8785 (JCS): object keys sorted
// by UTF-16 code units, no whitespace, numbers and strings serialized as ECMAScript's JSON.stringify
// does (which is what JCS specifies). Where it differs from JCS, it is stricter, never looser:
// - it throws on what JSON cannot say exactly: non-finite numbers, undefined, functions, symbols and
//   bigints inside arrays or as the value itself, and strings with lone surrogates (JCS requires
//   I-JSON input but leaves the rejection to the caller);
// - only plain objects and arrays are walked: a Date, Map or class instance throws instead of going
//   through toJSON, so a record is hashed as the data it will be read back as;
// - an object property whose value is undefined is left out, as JSON.stringify does, so a body with
//   `undoes: undefined` hashes the same as the file it is written to and read back from.
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  return serialize(value, "$");
}

/** SHA-256 of the UTF-8 bytes of `text`, as lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serialize(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} is ${value}, not a finite number`);
      // JSON.stringify is ECMAScript's Number::toString, the serialization JCS prescribes (-0 → 0).
      return JSON.stringify(value);
    case "string":
      if (LONE_SURROGATE.test(value)) throw new TypeError(`canonicalJson: ${path} has a lone surrogate`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is ${typeof value}, which JSON cannot represent`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => serialize(item, `${path}[${index}]`)).join(",")}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonicalJson: ${path} is a ${prototype?.constructor?.name ?? "non-plain"} object`);
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    // Default sort compares UTF-16 code units, the order RFC 8785 §3.2.3 asks for.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${serialize(key, path)}:${serialize(item, `${path}.${key}`)}`).join(",")}}`;
}
