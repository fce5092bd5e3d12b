// Which columns look like personal data or secrets, by name and type. A name is split into words
// (snake_case, camelCase, digits: `clientIp` → client ip, `first_nm` → first nm, `passport_no`),
// and words and abbreviations are matched in the conventions of several languages (fname, nachname,
// correo, telefono, dni, cpf, …). The type decides what a name can mean: numbers, booleans and uuids
// are counts, flags and ids, never personal text; dates are only birth dates; network types are
// addresses; text, json and arrays are judged by their name. A trailing word that makes the column
// about the data rather than the data itself (`email_template`, `phone_count`, `address_type`,
// `password_changed_at`) clears it. Generous where it must guess: a false alarm costs one
// `{ safe: reason }` line in the rules file, a miss leaks production data to staging.

/** What the guess looks at: a column's table, name, `format_type()` and whether it is generated (the data check's columns fit). */
export interface PiiCandidate {
  table: string;
  column: string;
  type: string;
  generated?: boolean | string | null;
}

export type PiiKind =
  | "email"
  | "phone"
  | "name"
  | "username"
  | "address"
  | "location"
  | "ip"
  | "birth date"
  | "government id"
  | "financial"
  | "health"
  | "demographic"
  | "secret"
  | "personal data";

/** Words splitting a column name: snake_case, kebab, spaces, camelCase, digit runs. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-zA-Z])([0-9])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whole words (or joined word pairs) that name personal data on their own. */
const WORDS: Record<string, PiiKind> = {};
const add = (kind: PiiKind, words: string) => {
  for (const word of words.split(/\s+/).filter(Boolean)) WORDS[word] = kind;
};
add("email", "email emails mail emailaddress mailaddress correo courriel epost");
add(
  "phone",
  "phone phones telephone tel mobile cell cellphone fax msisdn phonenumber telefono telefon handy whatsapp",
);
add(
  "name",
  "firstname fname givenname forename vorname nombre prenom lastname lname surname familyname nachname apellido apellidos fullname displayname legalname maidenname middlename mname nickname cardholder accountholder recipient beneficiary spouse guardian",
);
add("username", "username uname login screenname handle");
add(
  "address",
  "address addresses addr street streetaddress addressline postcode postalcode zip zipcode plz housenumber apartment direccion adresse strasse calle billingaddress shippingaddress",
);
add("location", "latitude longitude lat lng lon geolocation geo coordinates gps");
add("ip", "ip ipaddress ipaddr ipv4 ipv6 remoteaddr clientaddr macaddress mac");
add("birth date", "dob birth birthdate birthday dateofbirth geburtsdatum nacimiento");
add(
  "government id",
  "ssn socialsecurity sin nationalid nin nino taxid tin ein itin passport passportno passportnumber driverslicense driverlicense licence license dl idcard identitynumber personnummer nif nie dni cpf curp aadhaar nhsnumber medicare vatnumber",
);
add(
  "financial",
  "creditcard card cardnumber ccnumber ccnum cc pan cvv cvc cvv2 iban bic swift bankaccount accountnumber acctno routingnumber sortcode bsb salary income",
);
add("health", "mrn diagnosis medical allergies allergy prescription bloodtype health disability medication");
add("demographic", "gender sex ethnicity race religion nationality maritalstatus sexualorientation");
add(
  "secret",
  "password passwd pwd passhash passwordhash token secret apikey privatekey accesskey refreshtoken otp totp mfasecret pin securityanswer credential credentials sessionkey",
);
add("personal data", "contact contactinfo pii personal profile bio signature avatar photo selfie");

/** A last word that makes the column describe the data, not hold it. */
const ABOUT_THE_DATA = new Set(
  "count counts cnt sent received opened clicked bounced id ids uuid type kind status state template subject format provider verified enabled disabled optin consent flag flags at on version length len size total limit max min policy rule regex pattern label prefix suffix visible visibility required preference preferences pref settings config enabled domain hash_algorithm strength expiry expires expired attempts changed updated reset".split(
    " ",
  ),
);

/** `name` means a person's name only next to one of these (customer_name, holder_name; not product_name). */
const PERSON_WORDS = new Set(
  "first last full given family middle maiden display legal nick user screen contact customer client person owner holder member employee patient student recipient sender billing shipping emergency parent mother father spouse guardian author real".split(
    " ",
  ),
);

/** Tables whose plain `name` column is a person's name. */
const PERSON_TABLES =
  /^(users?|customers?|people|persons?|contacts?|employees?|members?|patients?|authors?|accounts?|clients?|students?|staff|profiles?)$/;

const NUMERIC =
  /^(smallint|integer|bigint|numeric|decimal|real|double precision|money|serial|bigserial|oid)\b/;
const TEMPORAL = /^(date|time|timestamp|interval)/;
const FLOATING = /^(real|double precision)$/;
const NETWORK = new Set(["inet", "cidr", "macaddr", "macaddr8"]);

/** What a bare `name` column holds depends on its table (PERSON_TABLES), not on its name and type. */
const NAME_IF_PERSON_TABLE = Symbol("a person's name in a table of people");

/** The kind a column's words name, before looking at its type. */
function kindOfWords(words: string[]): PiiKind | typeof NAME_IF_PERSON_TABLE | undefined {
  // national_id, marital_status, tax_id: the whole name is the datum, whatever its last word.
  const joined = words.join("");
  if (WORDS[joined]) return WORDS[joined];
  const last = words.at(-1);
  if (last !== undefined && ABOUT_THE_DATA.has(last) && words.length > 1) return undefined;
  if (words.includes("name")) {
    if (words.length === 1) return NAME_IF_PERSON_TABLE;
    if (words.some((word) => PERSON_WORDS.has(word))) return "name";
  }
  // first_nm, last_nm, user_nm: an abbreviated name.
  if (words.includes("nm") && words.some((word) => PERSON_WORDS.has(word))) return "name";
  // Runs of up to three words, left to right (date_of_birth → dateofbirth, passport_no → passportno);
  // a specific kind wins over the vague "personal data" (contact_email is an email).
  let vague: PiiKind | undefined;
  for (let i = 0; i < words.length; i += 1) {
    for (let j = Math.min(words.length, i + 3); j > i; j -= 1) {
      const kind = WORDS[words.slice(i, j).join("")];
      if (kind && kind !== "personal data") return kind;
      vague ??= kind;
    }
  }
  return vague;
}

/** The guess for a (not generated) column from its name and type alone; null for none. */
function guessOf(name: string, formattedType: string): PiiKind | typeof NAME_IF_PERSON_TABLE | null {
  const type = formattedType.toLowerCase();
  if (NETWORK.has(type)) return "ip";
  if (type === "boolean" || type === "uuid") return null;
  const kind = kindOfWords(nameWords(name));
  if (kind === undefined) return null;
  if (TEMPORAL.test(type)) return kind === "birth date" ? kind : null;
  if (FLOATING.test(type) || /^(point|geography|geometry)/.test(type)) {
    return kind === "location" ? kind : null;
  }
  if (NUMERIC.test(type)) return null; // Counts, ids, amounts and foreign keys are not personal text.
  if (kind === "location") return /^(text|character|jsonb?)/.test(type) ? kind : null;
  return kind;
}

// Guesses by type, then name: a schema repeats its column names across tables (20,000 columns at
// 2,000 tables had 17 distinct name and type pairs in the benchmark), and splitting and matching
// a name is most of the rule's time. Cleared when full, so it stays small in a long process.
const guesses = new Map<string, Map<string, ReturnType<typeof guessOf>>>();
let guessCount = 0;
const MAX_GUESSES = 50_000;

/** The kind of personal data a column probably holds, or undefined. */
export function piiKind(column: PiiCandidate): PiiKind | undefined {
  if (column.generated) return undefined; // Recomputed from the (masked) columns it reads.
  let byName = guesses.get(column.type);
  if (byName === undefined) {
    byName = new Map();
    guesses.set(column.type, byName);
  }
  let guess = byName.get(column.column);
  if (guess === undefined) {
    guess = guessOf(column.column, column.type);
    if (guessCount >= MAX_GUESSES) {
      for (const names of guesses.values()) names.clear();
      guessCount = 0;
    }
    byName.set(column.column, guess);
    guessCount += 1;
  }
  if (guess === NAME_IF_PERSON_TABLE)
    return PERSON_TABLES.test(column.table.toLowerCase()) ? "name" : undefined;
  return guess ?? undefined;
}

/** The rule to suggest for an unmasked column of this kind. */
export function suggestedRule(kind: PiiKind): string {
  switch (kind) {
    case "email":
    case "phone":
    case "name":
    case "address":
    case "ip":
      return kind;
    case "username":
      return "email (when it is an address) or redact";
    case "birth date":
      return "keep-year or { date-shift: 30 }";
    case "government id":
      return "ssn or digits (format-preserving) or redact";
    case "financial":
      return "card, iban or digits (format-preserving), or null";
    case "secret":
      return "null (or { fixed: VALUE })";
    default:
      return "redact or null";
  }
}
