import { describe, expect, it } from "vitest";
import { piiKind } from "../../audit/masking/pii.ts";

const column = (table: string, name: string, type = "text") => ({
  schema: "public",
  table,
  column: name,
  type,
});

describe("piiKind", () => {
  it.each([
    ["customers", "email", "text", "email"],
    ["customers", "billing_email", "citext", "email"],
    ["users", "e_mail", "character varying(200)", "email"],
    ["customers", "phone", "text", "phone"],
    ["customers", "mobile_number", "text", "phone"],
    ["customers", "first_name", "text", "name"],
    ["customers", "surname", "text", "name"],
    ["users", "name", "text", "name"],
    ["customers", "street_address", "text", "address"],
    ["customers", "postal_code", "text", "address"],
    ["sessions", "last_ip", "text", "ip"],
    ["sessions", "remote_addr", "text", "ip"],
    ["sessions", "client", "inet", "ip"],
    ["customers", "birth_date", "date", "birth date"],
    ["customers", "dob", "date", "birth date"],
    ["users", "password_hash", "text", "secret"],
    ["integrations", "api_key", "text", "secret"],
    ["users", "reset_token", "text", "secret"],
    ["customers", "ssn", "text", "secret"],
  ])("%s.%s (%s) looks like %s", (table, name, type, kind) => {
    expect(piiKind(column(table, name, type))).toBe(kind);
  });

  it.each([
    ["customers", "email_verified", "boolean"],
    ["users", "password_changed_at", "timestamp with time zone"],
    ["products", "name", "text"],
    ["orders", "total", "numeric"],
    ["orders", "status", "text"],
    ["shipments", "zipper_color", "text"],
    ["tokens_issued", "count", "integer"],
  ])("%s.%s (%s) does not", (table, name, type) => {
    expect(piiKind(column(table, name, type))).toBeUndefined();
  });
});
