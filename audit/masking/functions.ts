// Session-local (pg_temp) helper functions for the format-preserving transformers, created inside the
// masking transaction and gone with the session: nothing is installed in the clone. The pad argument
// is the HMAC inner pad (the key XOR ipad), read from a transaction-local setting (transforms.ts), so
// the key is never in statement text.
//
// Digits are permuted with a 4-round Feistel network over the decimal halves of the digit string
// (the construction of NIST SP 800-38G FF1: the halves keep their widths and take turns, each round
// adding a keyed SHA-256 of the other half, 63 bits of it, modulo its own width): a bijection on
// strings of the same length, so distinct inputs stay distinct and the output has exactly as many
// digits as the input. Everything that is not a digit stays where it was.
//
// Algorithm 2 (MASKING_ALGORITHM in marker.ts). Algorithm 1 looped in PL/pgSQL (a statement per round
// and per character of the refill: ~104 µs per phone under load, 70× md5); this one is straight-line,
// one statement per round, and refills the format with one format() call: the same strength (four
// rounds, each a keyed SHA-256 of the other half with the length and round as tweak), other outputs.
import type pg from "pg";
import { ADDRESS_FROM_DIGEST, NAME_FROM_DIGEST, PAD_SETTINGS } from "./transforms.ts";

// One expression (a CASE, not statements: each PL/pgSQL statement costs): translate() to chr(1) then
// '%s', so format() puts the permuted characters back in place; a value already holding chr(1) (never
// a real phone) takes the character loop instead.
const refill = (value: string, replacement: string, chars: string) =>
  `case when strpos(${value}, chr(1)) = 0
          then format(replace(translate(replace(${value}, '%', '%%'), '${chars}', repeat(chr(1), ${chars.length})), chr(1), '%s'),
                      variadic string_to_array(${replacement}, null))
          else pg_temp.parity_refill(${value}, ${replacement}, '[${chars.length === 10 ? "0-9" : "0-9A-Za-z"}]') end`;

const DIGITS = "0123456789";
const ALNUM = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz`;

/** 63 bits of the keyed SHA-256 of (other, round): its first 8 bytes, big-endian, top bit cleared. */
const roundHash = (other: string, i: number) =>
  `(('x' || encode(substring(sha256(prefix || int8send(${other} * 4 + ${i})) from 1 for 8), 'hex'))::bit(64)::bigint & 9223372036854775807)`;

/** One Feistel round: `half` plus 63 bits of the keyed SHA-256 of (other, round), modulo its width. */
const round = (half: string, other: string, i: number, modulus: string) =>
  `${half} := (${half} + ${roundHash(other, i)} % ${modulus}) % ${modulus};`;

const FUNCTIONS = `
-- The pads as bytea. IMMUTABLE (true for the transaction that set them, which is the functions' whole
-- life): in ALTER TABLE … USING the expression planner folds a call into a constant once, instead of a
-- decode(current_setting()) per row and use (transforms.ts, PadReading).
create function pg_temp.parity_inner_pad() returns bytea
language plpgsql immutable as $fn$ begin return decode(current_setting('${PAD_SETTINGS.inner}'), 'hex'); end $fn$;

create function pg_temp.parity_outer_pad() returns bytea
language plpgsql immutable as $fn$ begin return decode(current_setting('${PAD_SETTINGS.outer}'), 'hex'); end $fn$;

create function pg_temp.parity_permute(digits text, pad bytea, tweak text) returns text
language plpgsql immutable strict as $fn$
declare
  n int := length(digits);
  u int := n / 2;
  mu bigint;
  mv bigint;
  a bigint;
  b bigint;
  prefix bytea;
begin
  if n = 0 then return digits; end if;
  if n = 1 then
    return ((digits::int + get_byte(sha256(pad || convert_to(tweak || ':1:', 'UTF8')), 0)) % 10)::text;
  end if;
  if n > 36 then
    raise exception 'parity: % digits are more than the format-preserving transformers take (36)', n;
  end if;
  -- Halves of at most 18 digits: a half times 4 plus the round stays inside bigint.
  mu := power(10, u)::bigint;
  mv := power(10, n - u)::bigint;
  prefix := pad || convert_to(tweak || ':' || n || ':', 'UTF8');
  a := left(digits, u)::bigint;
  b := right(digits, n - u)::bigint;
  ${round("a", "b", 0, "mu")}
  ${round("b", "a", 1, "mv")}
  ${round("a", "b", 2, "mu")}
  ${round("b", "a", 3, "mv")}
  return lpad(a::text, u, '0') || lpad(b::text, n - u, '0');
end $fn$;

-- Puts the characters of replacement into the positions of template that match pattern, in order.
create function pg_temp.parity_refill(template text, replacement text, pattern text) returns text
language plpgsql immutable strict as $fn$
declare
  result text := '';
  k int := 1;
  ch text;
begin
  for i in 1..length(template) loop
    ch := substr(template, i, 1);
    if ch ~ pattern then
      result := result || substr(replacement, k, 1);
      k := k + 1;
    else
      result := result || ch;
    end if;
  end loop;
  return result;
end $fn$;

-- The permutation inlined (one PL/pgSQL call per value, not two): the hot path of phone, ssn and digits.
-- Few statements, each doing real work (a PL/pgSQL statement costs ~0.2 µs of its own). translate()
-- costs the value's length times its from-list, so the 10 digits are looked up once, for the shape
-- (the value with every digit as chr(1), which the refill reuses); the digits are then the value
-- without its few other characters (regexp_replace's output at a fraction of its cost; a value holding
-- chr(1) itself, never a real phone, takes a second translate). The first round reads the left half in
-- place, and the refill is one CASE.
create function pg_temp.parity_digits(value text, pad bytea) returns text
language plpgsql immutable strict as $fn$
declare
  shape text := translate(value, '${DIGITS}', repeat(chr(1), 10));
  digits text := translate(value, case when strpos(value, chr(1)) = 0 then replace(shape, chr(1), '')
                                       else translate(value, '${DIGITS}', '') end, '');
  n int := length(digits);
  u int := n / 2;
  mu bigint;
  mv bigint;
  prefix bytea;
  a bigint;
  b bigint;
begin
  if n < 2 or n > 36 then
    if n = 0 then return value; end if;
    digits := pg_temp.parity_permute(digits, pad, 'digits');
  else
    -- Halves of at most 18 digits: a half times 4 plus the round stays inside bigint.
    mu := power(10, u)::bigint;
    mv := power(10, n - u)::bigint;
    prefix := pad || convert_to('digits:' || n || ':', 'UTF8');
    b := right(digits, n - u)::bigint;
    a := (left(digits, u)::bigint + ${roundHash("b", 0)} % mu) % mu;
    ${round("b", "a", 1, "mv")}
    ${round("a", "b", 2, "mu")}
    ${round("b", "a", 3, "mv")}
    digits := lpad(a::text, u, '0') || lpad(b::text, n - u, '0');
  end if;
  return case when n = length(value) then digits
              when strpos(value, chr(1)) = 0
                then format(replace(replace(shape, '%', '%%'), chr(1), '%s'), variadic string_to_array(digits, null))
              else pg_temp.parity_refill(value, digits, '[0-9]') end;
end $fn$;

-- Luhn (ISO/IEC 7812) check digit of a digit string.
create function pg_temp.parity_luhn(body text) returns text
language plpgsql immutable strict as $fn$
declare
  total int := 0;
  d int;
  n int := length(body);
begin
  for i in 0..n - 1 loop
    d := substr(body, n - i, 1)::int;
    if i % 2 = 0 then d := d * 2; if d > 9 then d := d - 9; end if; end if;
    total := total + d;
  end loop;
  return ((10 - total % 10) % 10)::text;
end $fn$;

create function pg_temp.parity_card(value text, pad bytea) returns text
language plpgsql immutable strict as $fn$
declare
  digits text := regexp_replace(value, '[^0-9]', '', 'g');
  body text;
begin
  if length(digits) < 2 then return pg_temp.parity_digits(value, pad); end if;
  body := pg_temp.parity_permute(left(digits, -1), pad, 'card');
  body := body || pg_temp.parity_luhn(body);
  return ${refill("value", "body", DIGITS)};
end $fn$;

-- ISO 13616: country code kept, BBAN digits permuted (letters kept), check digits recomputed (mod 97).
create function pg_temp.parity_iban(value text, pad bytea) returns text
language plpgsql immutable strict as $fn$
declare
  compact text := upper(regexp_replace(value, '[^0-9A-Za-z]', '', 'g'));
  country text := left(compact, 2);
  bban text := substr(compact, 5);
  masked text;
  numeric_form text := '';
  ch text;
  check_digits int;
begin
  if length(compact) < 5 or country !~ '^[A-Z]{2}$' then return pg_temp.parity_digits(value, pad); end if;
  masked := pg_temp.parity_refill(bban, pg_temp.parity_permute(regexp_replace(bban, '[^0-9]', '', 'g'), pad, 'iban:' || country), '[0-9]');
  for i in 1..length(masked || country) loop
    ch := substr(masked || country, i, 1);
    numeric_form := numeric_form || case when ch ~ '[0-9]' then ch else (ascii(ch) - 55)::text end;
  end loop;
  check_digits := 98 - mod((numeric_form || '00')::numeric, 97)::int;
  masked := country || lpad(check_digits::text, 2, '0') || masked;
  return ${refill("value", "masked", ALNUM)};
end $fn$;

create function pg_temp.parity_name(d bytea) returns text
language plpgsql immutable strict as $fn$ begin return ${NAME_FROM_DIGEST}; end $fn$;

create function pg_temp.parity_address(d bytea) returns text
language plpgsql immutable strict as $fn$ begin return ${ADDRESS_FROM_DIGEST}; end $fn$;

-- Same family and prefix length; the address comes from the digest, inside 10.0.0.0/8 or fd00::/8.
-- PL/pgSQL, not SQL: a strict SQL function whose body holds a CASE is never inlined, and a SQL
-- function that is not inlined runs through the executor on every call (9.0 → 3.8 µs per value
-- measured, md5 1.1 µs, load 9).
create function pg_temp.parity_ip(value inet, d bytea) returns inet
language plpgsql immutable strict as $fn$ begin
  return set_masklen(case family(value)
           when 4 then ('10.' || get_byte(d, 0) || '.' || get_byte(d, 1) || '.' || get_byte(d, 2))::inet
           else ('fd' || substr(regexp_replace(encode(substring(d from 1 for 16), 'hex'), '(....)', '\\1:', 'g'), 3, 37))::inet
         end, masklen(value));
end $fn$;
`;

export async function createMaskingFunctions(client: pg.ClientBase): Promise<void> {
  await client.query(FUNCTIONS);
}
