// One warning for every command that takes a database URL as an argument.

/** A password typed into a URL on the command line is readable by every local user (ps, /proc). */
export function warnAboutArgvPasswords(urls: Array<string | undefined>): void {
  for (const url of urls) {
    if (url === undefined) continue;
    try {
      const parsed = new URL(url);
      if (parsed.password || parsed.searchParams.has("password")) {
        process.stderr.write(
          "parity: warning: a database URL on the command line carries a password, which other local users can read (ps); use PGPASSWORD or PGPASSFILE and a URL without it\n",
        );
        return;
      }
    } catch {
      // Not a URL: the command reports it.
    }
  }
}
