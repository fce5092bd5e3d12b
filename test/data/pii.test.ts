import { describe, expect, it } from "vitest";
import { nameWords, piiKind } from "../../audit/masking/pii.ts";

const column = (table: string, name: string, type = "text") => ({
  schema: "public",
  table,
  column: name,
  type,
});

// A realistic mix from shop, SaaS, HR, health and payments schemas, in the naming habits of several
// languages and ORMs (snake_case, camelCase, abbreviations, German/Spanish/French words).
const PII: Array<[table: string, column: string, type: string]> = [
  ["users", "email", "text"],
  ["users", "email_address", "character varying(255)"],
  ["users", "emailAddress", "text"],
  ["customers", "billing_email", "citext"],
  ["users", "e_mail", "character varying(200)"],
  ["contacts", "correo", "text"],
  ["users", "phone", "text"],
  ["users", "phone_number", "character varying(20)"],
  ["users", "phoneNumber", "text"],
  ["customers", "mobile", "text"],
  ["customers", "mobile_no", "text"],
  ["customers", "cell_phone", "text"],
  ["contacts", "tel", "text"],
  ["contacts", "fax_number", "text"],
  ["kunden", "telefon", "text"],
  ["users", "msisdn", "text"],
  ["users", "first_name", "text"],
  ["users", "last_name", "text"],
  ["users", "firstName", "text"],
  ["users", "lastName", "text"],
  ["users", "fname", "text"],
  ["users", "lname", "text"],
  ["users", "first_nm", "character varying(40)"],
  ["users", "last_nm", "character varying(40)"],
  ["users", "full_name", "text"],
  ["users", "fullName", "text"],
  ["users", "display_name", "text"],
  ["users", "middle_name", "text"],
  ["users", "maiden_name", "text"],
  ["users", "surname", "text"],
  ["users", "given_name", "text"],
  ["users", "family_name", "text"],
  ["kunden", "vorname", "text"],
  ["kunden", "nachname", "text"],
  ["clientes", "apellido", "text"],
  ["users", "name", "text"],
  ["orders", "customer_name", "text"],
  ["payments", "cardholder_name", "text"],
  ["contacts", "emergency_contact_name", "text"],
  ["users", "nickname", "text"],
  ["users", "username", "text"],
  ["users", "user_name", "text"],
  ["users", "login", "text"],
  ["users", "screen_name", "text"],
  ["users", "street", "text"],
  ["users", "street_address", "text"],
  ["users", "address", "text"],
  ["users", "address_line1", "text"],
  ["users", "addressLine2", "text"],
  ["orders", "shipping_address", "jsonb"],
  ["orders", "billing_address", "text"],
  ["users", "postal_code", "text"],
  ["users", "postcode", "text"],
  ["users", "zip", "character varying(10)"],
  ["users", "zip_code", "text"],
  ["kunden", "plz", "text"],
  ["kunden", "strasse", "text"],
  ["users", "house_number", "text"],
  ["sessions", "ip", "inet"],
  ["sessions", "ip_address", "text"],
  ["sessions", "clientIp", "text"],
  ["sessions", "last_login_ip", "inet"],
  ["sessions", "remote_addr", "text"],
  ["devices", "mac_address", "macaddr"],
  ["users", "dob", "date"],
  ["users", "birth_date", "date"],
  ["users", "date_of_birth", "date"],
  ["users", "birthday", "date"],
  ["users", "dateOfBirth", "timestamp without time zone"],
  ["users", "ssn", "text"],
  ["users", "social_security_number", "character(11)"],
  ["users", "national_id", "text"],
  ["users", "tax_id", "text"],
  ["users", "passport_no", "text"],
  ["users", "passport_number", "text"],
  ["users", "drivers_license", "text"],
  ["users", "driver_license_number", "text"],
  ["clientes", "dni", "text"],
  ["clientes", "cpf", "character varying(14)"],
  ["patients", "nhs_number", "text"],
  ["patients", "mrn", "text"],
  ["patients", "diagnosis", "text"],
  ["patients", "allergies", "text[]"],
  ["payments", "credit_card", "text"],
  ["payments", "card_number", "text"],
  ["payments", "cc_number", "text"],
  ["payments", "cvv", "text"],
  ["payouts", "iban", "text"],
  ["payouts", "bank_account", "text"],
  ["payouts", "account_number", "text"],
  ["payouts", "routing_number", "text"],
  ["users", "password", "text"],
  ["users", "password_hash", "text"],
  ["users", "reset_token", "text"],
  ["integrations", "api_key", "text"],
  ["users", "gender", "text"],
  ["users", "marital_status", "text"],
  ["users", "contact_info", "jsonb"],
  ["users", "home_latitude", "double precision"],
  ["users", "avatar_url", "text"],
];

const NOT_PII: Array<[table: string, column: string, type: string]> = [
  ["users", "phone_count", "integer"],
  ["campaigns", "emails_sent", "integer"],
  ["orders", "shipping_address_id", "bigint"],
  ["users", "email_verified", "boolean"],
  ["users", "phone_verified_at", "timestamp with time zone"],
  ["users", "password_changed_at", "timestamp with time zone"],
  ["users", "email_template", "text"],
  ["users", "email_status", "text"],
  ["addresses", "address_type", "text"],
  ["products", "name", "text"],
  ["companies", "company_name", "text"],
  ["uploads", "file_name", "text"],
  ["servers", "host_name", "text"],
  ["orders", "order_number", "text"],
  ["shipments", "tracking_number", "text"],
  ["orders", "total", "numeric"],
  ["orders", "status", "text"],
  ["orders", "currency", "character(3)"],
  ["users", "locale", "text"],
  ["users", "timezone", "text"],
  ["products", "description", "text"],
  ["products", "sku", "text"],
  ["posts", "title", "text"],
  ["posts", "slug", "text"],
  ["users", "id", "uuid"],
  ["orders", "customer_id", "bigint"],
  ["users", "created_at", "timestamp with time zone"],
  ["shipments", "zipper_color", "text"],
  ["tokens_issued", "count", "integer"],
  ["users", "login_count", "integer"],
];

describe("piiKind on 100 PII and 30 non-PII column names", () => {
  it("lists exactly 100 and 30", () => {
    expect(PII).toHaveLength(100);
    expect(NOT_PII).toHaveLength(30);
  });

  it("finds at least 90 of the PII columns and flags at most one of the others", () => {
    const missed = PII.filter(([table, name, type]) => piiKind(column(table, name, type)) === undefined);
    const flagged = NOT_PII.filter(([table, name, type]) => piiKind(column(table, name, type)) !== undefined);
    const names = (list: typeof PII) => list.map(([table, name]) => `${table}.${name}`).join(", ");
    expect(PII.length - missed.length, `missed: ${names(missed)}`).toBeGreaterThanOrEqual(90);
    expect(flagged.length, `flagged: ${names(flagged)}`).toBeLessThanOrEqual(1);
  });

  it.each([
    ["customers", "email", "text", "email"],
    ["sessions", "clientIp", "text", "ip"],
    ["users", "first_nm", "text", "name"],
    ["users", "passport_no", "text", "government id"],
    ["payments", "credit_card", "text", "financial"],
    ["users", "contact_info", "jsonb", "personal data"],
    ["users", "dob", "date", "birth date"],
    ["sessions", "client", "inet", "ip"],
  ])("%s.%s (%s) looks like %s", (table, name, type, kind) => {
    expect(piiKind(column(table, name, type))).toBe(kind);
  });

  it("never flags a generated column: it is recomputed from the masked columns", () => {
    expect(piiKind({ ...column("users", "email_lower"), generated: true })).toBeUndefined();
  });

  it.each([
    ["clientIp", ["client", "ip"]],
    ["addressLine2", ["address", "line", "2"]],
    ["first_nm", ["first", "nm"]],
    ["HTTPProxyHost", ["http", "proxy", "host"]],
  ])("splits %s into words", (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});
