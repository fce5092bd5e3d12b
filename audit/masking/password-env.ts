// pg_dump and psql get the connection URL on their command line, which every local user can read
// (ps, /proc/PID/cmdline). The password travels in PGPASSWORD instead, which only the owner can read.

export interface LibpqConnection {
  /** The URL without its password, for --dbname. */
  dbname: string;
  /** Extra environment for the child: PGPASSWORD when the URL carried a password. */
  env: Record<string, string>;
}

export function passwordToEnvironment(url: string): LibpqConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { dbname: url, env: {} };
  }
  let password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = "";
  const fromQuery = parsed.searchParams.get("password");
  if (fromQuery !== null) {
    password = fromQuery;
    parsed.searchParams.delete("password");
  }
  return { dbname: parsed.toString(), env: password === undefined ? {} : { PGPASSWORD: password } };
}
