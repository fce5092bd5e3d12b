/** A PostgreSQL identifier, quoted so any name (mixed case, spaces, quotes) is taken literally. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
