// The SQL each transformer becomes. Hashing transformers build the stand-in from the value's keyed
// HMAC-SHA256, so the output is a pure function of (key, value): the same in every clone, in every
// column and table that uses the transformer, for every reference, unique column or not.
// Format-preserving transformers (phone, ssn, digits, card, iban) permute the digits with a keyed
// Feistel network (functions.ts), so distinct inputs stay distinct at their own width.
import { quoteIdent } from "../core/sql.ts";
import type { HashingTransformer, PlannedColumn } from "./types.ts";
import {
  CITIES,
  FIRST_NAME_ENDINGS,
  FIRST_NAME_STARTS,
  STREET_SUFFIXES,
  STREETS,
  SURNAME_ENDINGS,
  SURNAME_STARTS,
} from "./word-lists.ts";

/**
 * Transaction-local settings holding the HMAC pads (hex), set from bind parameters and gone at commit or
 * rollback, so the key never appears in statement text. Settings rather than a temp table read by a
 * subquery: ALTER TABLE … USING (the one-pass rewrite, rewrite.ts) takes no subqueries.
 */
export const PAD_SETTINGS = { inner: "parity.masking_inner_pad", outer: "parity.masking_outer_pad" } as const;

/**
 * How a masked expression reads the pads. Either way the value is the same; what differs is how often
 * it is decoded (`decode(current_setting(…))` per use measured ~0.5 µs, a quarter of an email):
 * - `constant`: `pg_temp.parity_inner_pad()`, IMMUTABLE, so the expression planner folds it into a
 *   constant once per statement. Only for ALTER TABLE … USING (rewrite.ts), whose expression is not a
 *   plan: nothing (EXPLAIN, auto_explain) ever prints it, so the folded pad shows up nowhere.
 * - `init-plan`: an uncorrelated scalar subquery, evaluated once per statement; for the planned
 *   statements (the batched UPDATE, the fit check), where a folded constant would be printed by
 *   auto_explain with log_verbose, and `$0` is printed instead.
 */
export type PadReading = "constant" | "init-plan";

const PADS: Record<PadReading, { inner: string; outer: string }> = {
  constant: { inner: "pg_temp.parity_inner_pad()", outer: "pg_temp.parity_outer_pad()" },
  "init-plan": {
    inner: `(select decode(current_setting('${PAD_SETTINGS.inner}'), 'hex'))`,
    outer: `(select decode(current_setting('${PAD_SETTINGS.outer}'), 'hex'))`,
  },
};

/** `<hex>@example.com`: 16 hex characters (64 bits) where the column has room, fewer where not. */
export const EMAIL_DOMAIN = "@example.com";
export const HEX_CHARS = 16;

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

function hexBytes(d: string, from: number, hexChars: number): string {
  return `left(encode(substring(${d} from ${from} for ${Math.ceil(hexChars / 2)}), 'hex'), ${hexChars})`;
}

/** 31 bits of the digest as a non-negative integer. */
function int31(d: string, from: number): string {
  return `(('x' || encode(substring(${d} from ${from} for 4), 'hex'))::bit(32)::bigint & 2147483647)`;
}

/** The value's HMAC-SHA256 as bytea, from the pads in PAD_SETTINGS (RFC 2104 with core sha256()). */
export function digestSql(valueSql: string, pads: PadReading): string {
  return `sha256(${PADS[pads].outer} || sha256(${PADS[pads].inner} || convert_to(${valueSql}::text, 'UTF8')))`;
}

/** Characters of hex the email, redact forms carry in a column of `maxLength` (null: unbounded). */
export function hexCharsFor(transform: "email" | "redact", maxLength: number | null): number {
  const overhead = transform === "email" ? EMAIL_DOMAIN.length : "[redacted ]".length;
  if (maxLength === null) return HEX_CHARS;
  if (transform === "redact" && maxLength < overhead + 4) return Math.min(HEX_CHARS, maxLength);
  return Math.min(HEX_CHARS, maxLength - overhead);
}

/**
 * How many distinct outputs a transformer can produce in a column, as bits (Infinity for the
 * format-preserving permutations, which never merge two inputs). Unique columns are checked
 * against it with the row count.
 */
export function outputBits(transform: HashingTransformer | "date-shift", maxLength: number | null): number {
  switch (transform) {
    case "email":
    case "email-case-sensitive":
      return 4 * hexCharsFor("email", maxLength);
    case "redact":
      return 4 * hexCharsFor("redact", maxLength);
    case "name":
      return Math.log2(
        FIRST_NAME_STARTS.length * FIRST_NAME_ENDINGS.length * SURNAME_STARTS.length * SURNAME_ENDINGS.length,
      );
    case "address":
      return Math.log2(9999 * STREETS.length * STREET_SUFFIXES.length * CITIES.length);
    case "ip":
      return 24;
    case "keep-year":
      return Math.log2(365);
    case "date-shift":
      return 0; // Shifts are not a permutation; a unique date column is refused.
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** The longest output of a free-text transformer, for columns of bounded length. */
export function maxOutputLength(transform: HashingTransformer): number | null {
  const longest = (words: readonly string[]) => Math.max(...words.map((word) => word.length));
  switch (transform) {
    case "name":
      return (
        longest(FIRST_NAME_STARTS) +
        longest(FIRST_NAME_ENDINGS) +
        1 +
        longest(SURNAME_STARTS) +
        longest(SURNAME_ENDINGS)
      );
    case "address":
      return 4 + 1 + longest(STREETS) + 1 + longest(STREET_SUFFIXES) + 2 + longest(CITIES);
    default:
      return null;
  }
}

/** Bodies of pg_temp.parity_name(d bytea) and parity_address(d bytea) (functions.ts): words from the digest. */
export const NAME_FROM_DIGEST = `${pick(FIRST_NAME_STARTS, "d", 0)} || ${pick(FIRST_NAME_ENDINGS, "d", 1)} || ' ' || ${pick(SURNAME_STARTS, "d", 2)} || ${pick(SURNAME_ENDINGS, "d", 3)}`;
export const ADDRESS_FROM_DIGEST = `(1 + ('x' || encode(substring(d from 5 for 2), 'hex'))::bit(16)::int % 9999)::text || ' ' || ${pick(STREETS, "d", 0)} || ' ' || ${pick(STREET_SUFFIXES, "d", 1)} || ', ' || ${pick(CITIES, "d", 2)}`;

function fromDigest(
  column: PlannedColumn,
  transform: HashingTransformer,
  ref: string,
  pads: PadReading,
): string {
  const digest = (valueSql: string) => digestSql(valueSql, pads);
  const max = column.maxLength;
  const fitLength = (sql: string, longest: number | null) =>
    max !== null && longest !== null && longest > max ? `left(${sql}, ${max})` : sql;
  switch (transform) {
    case "email":
      // lower(): Alice@Example.com and alice@example.com are one mailbox and mask alike, so joins on lower(email) hold.
      return `${hexBytes(digest(`lower(${ref})`), 1, hexCharsFor("email", max))} || '${EMAIL_DOMAIN}'`;
    case "email-case-sensitive":
      return `${hexBytes(digest(ref), 1, hexCharsFor("email", max))} || '${EMAIL_DOMAIN}'`;
    case "name":
      // One digest per value, its bytes picked inside the function (pick() four times would hash four times).
      return fitLength(`pg_temp.parity_name(${digest(ref)})`, maxOutputLength("name"));
    case "address":
      return fitLength(`pg_temp.parity_address(${digest(ref)})`, maxOutputLength("address"));
    case "redact": {
      const hex = hexCharsFor("redact", max);
      const digits = hexBytes(digest(ref), 1, hex);
      return max !== null && max < "[redacted ]".length + 4 ? digits : `'[redacted ' || ${digits} || ']'`;
    }
    case "phone":
    case "ssn":
    case "digits":
      return `pg_temp.parity_digits(${ref}::text, ${PADS[pads].inner})`;
    case "card":
      return `pg_temp.parity_card(${ref}::text, ${PADS[pads].inner})`;
    case "iban":
      return `pg_temp.parity_iban(${ref}::text, ${PADS[pads].inner})`;
    case "ip":
      return column.category === "S"
        ? `host(pg_temp.parity_ip(${ref}::inet, ${digest(ref)}))`
        : `pg_temp.parity_ip(${ref}::inet, ${digest(ref)})`;
    case "keep-year":
      return keepYear(column, ref, pads);
  }
}

function keepYear(column: PlannedColumn, ref: string, pads: PadReading): string {
  const day = `((${int31(digestSql(ref, pads), 1)} % (extract(doy from date_trunc('year', ${ref}) + interval '1 year' - interval '1 day'))::int)::int)`;
  if (column.baseType === "date") return `(date_trunc('year', ${ref})::date + ${day})`;
  return `(date_trunc('year', ${ref}) + ${day} * interval '1 day' + (${ref} - date_trunc('day', ${ref})))`;
}

function dateShift(column: PlannedColumn, ref: string, days: number, pads: PadReading): string {
  const d = digestSql(ref, pads);
  // ±1..days, never 0: a shifted date always differs from the original.
  const shift = `(((1 + ${int31(d, 1)} % ${days}) * (case when get_byte(${d}, 0) % 2 = 0 then 1 else -1 end))::int)`;
  return column.baseType === "date" ? `(${ref} + ${shift})` : `(${ref} + ${shift} * interval '1 day')`;
}

/** The new value of one column, cast back to its type; `pads` says how it reads the key (PadReading). */
export function maskedValueSql(column: PlannedColumn, pads: PadReading): string {
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
    case "date-shift":
      return `(${dateShift(column, ref, rule.days, pads)})::${column.type}`;
    default: {
      const value = fromDigest(column, rule.transform, ref, pads);
      return column.type === "text" ? value : `(${value})::${column.type}`;
    }
  }
}
