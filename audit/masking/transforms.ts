// The SQL each transformer becomes. Hashing transformers build the stand-in from the bytes of the
// value's keyed HMAC-SHA256, so the output is a pure function of (key, value): the same in every
// clone, in every column, for every reference.
import { quoteIdent } from "../core/sql.ts";
import type { PlannedColumn } from "./plan.ts";
import { CITIES, FIRST_NAMES, LAST_NAMES, STREET_SUFFIXES, STREETS } from "./word-lists.ts";

/** Temp table (dropped at commit) holding the HMAC pads, so the key never appears in statement text. */
export const KEY_TABLE = "pg_temp.parity_masking_key";

/** Bytes of the HMAC that make an output unique: 12 bytes = 96 bits, shown as 24 hex characters. */
const UNIQUE_BYTES = 12;
/** The unique part comes from the digest's last bytes, apart from the bytes that pick words. */
const UNIQUE_FROM = 33 - UNIQUE_BYTES;

export function quoteLiteral(value: string): string {
  // standard_conforming_strings is set on for the masking transaction, so only quotes need doubling.
  return `'${value.replaceAll("'", "''")}'`;
}

function textArray(words: readonly string[]): string {
  return `(array[${words.map(quoteLiteral).join(",")}]::text[])`;
}

/** Pick from `words` by byte `byte` (0-based) of digest `d`; list lengths divide 256, so picks are uniform. */
function pick(words: readonly string[], d: string, byte: number): string {
  return `${textArray(words)}[1 + get_byte(${d}, ${byte}) % ${words.length}]`;
}

function hexBytes(d: string, from: number, count: number): string {
  return `encode(substring(${d} from ${from} for ${count}), 'hex')`;
}

/** The value's HMAC-SHA256 as bytea, from the pads in KEY_TABLE (RFC 2104 with core sha256()). */
export function digestSql(valueSql: string): string {
  return `sha256((select outer_pad from ${KEY_TABLE}) || sha256((select inner_pad from ${KEY_TABLE}) || convert_to(${valueSql}::text, 'UTF8')))`;
}

/**
 * Expression over the HMAC digest SQL `d`. The digest is written out wherever a part needs it rather
 * than computed once in a scalar subquery: measured, a subquery per value costs about three HMACs.
 * A NULL value gives a NULL digest and so a NULL result. Unique forms carry 96 bits of the digest, so
 * distinct inputs stay distinct.
 */
function fromDigest(transform: string, d: string, unique: boolean): string {
  const uniquePart = hexBytes(d, UNIQUE_FROM, UNIQUE_BYTES);
  const suffix = unique ? ` || ' #' || ${uniquePart}` : "";
  switch (transform) {
    case "email":
      // Always 96 bits: emails are so often unique in practice (logins) that a short form is not worth it.
      return `'user.' || ${hexBytes(d, 1, UNIQUE_BYTES)} || '@example.com'`;
    case "name":
      return `${pick(FIRST_NAMES, d, 0)} || ' ' || ${pick(LAST_NAMES, d, 1)}${suffix}`;
    case "phone":
      // 555 is the fictional exchange; 32 bits of the digest give the seven digits.
      return `'+1-555-' || lpad(((('x' || ${hexBytes(d, 1, 4)})::bit(32)::bigint) % 10000000)::text, 7, '0')${unique ? ` || ' ext ' || ${uniquePart}` : ""}`;
    case "address":
      return `(1 + ('x' || ${hexBytes(d, 1, 2)})::bit(16)::int % 9999)::text || ' ' || ${pick(STREETS, d, 2)} || ' ' || ${pick(STREET_SUFFIXES, d, 3)} || ', ' || ${pick(CITIES, d, 4)}${suffix}`;
    case "redact":
      return `'[redacted ' || ${uniquePart} || ']'`;
    default:
      throw new Error(`no digest form for transformer ${transform}`);
  }
}

/** The new value of one column, cast back to its type (casts to varchar(n) truncate, as intended). */
export function maskedValueSql(column: PlannedColumn): string {
  const ref = quoteIdent(column.column);
  const rule = column.rule;
  switch (rule.transform) {
    case "null":
      return `null::${column.type}`;
    case "fixed":
      // Nulls stay null: "no phone number" is not PII, and keeps optional columns optional.
      return `case when ${ref} is null then null else ${quoteLiteral(rule.value)}::${column.type} end`;
    case "keep":
    case "safe":
      return ref;
    case "redact":
      if (!column.unique) return `case when ${ref} is null then null else '[redacted]'::${column.type} end`;
      return hashed(ref, rule.transform, column);
    default:
      return hashed(ref, rule.transform, column);
  }
}

function hashed(ref: string, transform: string, column: PlannedColumn): string {
  const value = fromDigest(transform, digestSql(ref), column.unique);
  return column.type === "text" ? value : `(${value})::${column.type}`;
}
