// The SQL each transformer becomes. Hashing transformers read the value's keyed HMAC-SHA256 as hex
// (computed once per value in a scalar subquery) and build the stand-in from it, so the output is a
// pure function of (key, value): the same in every clone, in every column, for every reference.
import { quoteIdent } from "../local/embedded-postgres.ts";
import type { PlannedColumn } from "./plan.ts";
import { CITIES, FIRST_NAMES, LAST_NAMES, STREET_SUFFIXES, STREETS } from "./word-lists.ts";

/** Temp table (dropped at commit) holding the HMAC pads, so the key never appears in statement text. */
export const KEY_TABLE = "pg_temp.parity_masking_key";

/** Hex characters of the HMAC that make a unique output unique: 24 hex = 96 bits. */
const UNIQUE_HEX = 24;

export function quoteLiteral(value: string): string {
  // standard_conforming_strings is set on for the masking transaction, so only quotes need doubling.
  return `'${value.replaceAll("'", "''")}'`;
}

function textArray(words: readonly string[]): string {
  return `(array[${words.map(quoteLiteral).join(",")}]::text[])`;
}

/** 1-based pick from `words` by `hexDigits` hex characters of h starting at `offset` (1-based). */
function pick(words: readonly string[], offset: number, hexDigits: number): string {
  return `${textArray(words)}[1 + ('x' || substr(h, ${offset}, ${hexDigits}))::bit(${hexDigits * 4})::int % ${words.length}]`;
}

/** The value's HMAC-SHA256 as bytea, from the pads in KEY_TABLE (RFC 2104 with core sha256()). */
export function digestSql(valueSql: string): string {
  return `sha256((select outer_pad from ${KEY_TABLE}) || sha256((select inner_pad from ${KEY_TABLE}) || convert_to(${valueSql}::text, 'UTF8')))`;
}

/** Expression over the hex HMAC `h`; unique forms carry 96 bits of it so distinct inputs stay distinct. */
function fromHex(transform: string, unique: boolean): string {
  const suffix = unique ? ` || ' #' || substr(h, 41, ${UNIQUE_HEX})` : "";
  switch (transform) {
    case "email":
      // Always 96 bits: emails are so often unique in practice (logins) that the short form is not worth it.
      return `'user.' || substr(h, 1, ${UNIQUE_HEX}) || '@example.com'`;
    case "name":
      return `${pick(FIRST_NAMES, 1, 2)} || ' ' || ${pick(LAST_NAMES, 3, 2)}${suffix}`;
    case "phone":
      return `'+1-555-' || translate(substr(h, 1, 3), 'abcdef', '012345') || '-' || translate(substr(h, 4, 4), 'abcdef', '012345')${unique ? ` || ' ext ' || substr(h, 41, ${UNIQUE_HEX})` : ""}`;
    case "address":
      return `(1 + ('x' || substr(h, 1, 4))::bit(16)::int % 9999)::text || ' ' || ${pick(STREETS, 5, 2)} || ' ' || ${pick(STREET_SUFFIXES, 7, 1)} || ', ' || ${pick(CITIES, 8, 1)}${suffix}`;
    case "redact":
      return unique ? `'[redacted ' || substr(h, 41, ${UNIQUE_HEX}) || ']'` : `'[redacted]'`;
    default:
      throw new Error(`no hex form for transformer ${transform}`);
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
  return `(select (${fromHex(transform, column.unique)})::${column.type} from (select encode(${digestSql(ref)}, 'hex') as h) as d where h is not null)`;
}
