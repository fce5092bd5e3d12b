// libpq takes a password from the query string too (`?password=…`), so it is hidden there as well.
const SECRET_PARAMETERS = ["password", "sslpassword"];

/** A database URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const name of SECRET_PARAMETERS) {
      if (parsed.searchParams.has(name)) parsed.searchParams.set(name, "***");
    }
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
