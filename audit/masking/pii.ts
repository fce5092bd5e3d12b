// Which columns look like personal data or secrets, by name and type. Deliberately generous: a false
// alarm costs one `{ safe: reason }` line in the rules file, a miss leaks production data to staging.

/** What the guess looks at: a column's table, name and `format_type()` (the data check's columns fit). */
export interface PiiCandidate {
  table: string;
  column: string;
  type: string;
}

export type PiiKind = "email" | "phone" | "name" | "address" | "ip" | "birth date" | "secret";

const NAME_PATTERNS: Array<[PiiKind, RegExp]> = [
  ["email", /e_?mail/],
  ["ip", /(^|_)ip(_|$)|ip_?addr|remote_?addr|client_?addr/],
  ["phone", /phone|mobile|msisdn|(^|_)(tel|telephone|fax|cell)(_|$)/],
  ["birth date", /birth|(^|_)dob(_|$)/],
  [
    "secret",
    /token|secret|passw(or)?d|api_?key|private_?key|credential|(^|_)ssn(_|$)|social_security|tax_?id|iban|card_?num|(^|_)cc_?num/,
  ],
  ["address", /address|street|(^|_)addr(_|$)|postcode|postal_?code|(^|_)zip(_?code)?(_|$)/],
  [
    "name",
    /^(first|last|full|given|family|middle|maiden|display|legal|contact|customer|person|real)_?name$|^(surname|forename)$/,
  ],
];

/** Tables whose plain `name` column is a person's name. */
const PERSON_TABLES =
  /^(users?|customers?|people|persons?|contacts?|employees?|members?|patients?|authors?|accounts?|clients?|students?|staff)$/;

const NETWORK_TYPES = new Set(["inet", "cidr", "macaddr", "macaddr8"]);

function isTemporal(type: string): boolean {
  return /^(date|time|timestamp|interval)/.test(type);
}

/** The kind of personal data a column probably holds, or undefined. */
export function piiKind(column: PiiCandidate): PiiKind | undefined {
  if (column.type === "boolean") return undefined; // email_verified, has_phone: flags, not data.
  if (NETWORK_TYPES.has(column.type)) return "ip";
  const name = column.column.toLowerCase();
  if (name === "name" && PERSON_TABLES.test(column.table.toLowerCase())) return "name";
  for (const [kind, pattern] of NAME_PATTERNS) {
    if (!pattern.test(name)) continue;
    // password_changed_at, token_expires_at: when, not what. A birth date is the exception.
    if (isTemporal(column.type) && kind !== "birth date") continue;
    return kind;
  }
  return undefined;
}

/** The rule to suggest for an unmasked column of this kind. */
export function suggestedRule(kind: PiiKind): string {
  switch (kind) {
    case "email":
    case "phone":
    case "name":
    case "address":
      return kind;
    case "secret":
      return "null (or { fixed: VALUE })";
    case "ip":
    case "birth date":
      return "null or { fixed: VALUE }";
  }
}
