/**
 * Orders strings by UTF-16 code unit, as `Array.prototype.sort` does by default. Reports sort
 * with it rather than `localeCompare`: the order is then the same on every machine whatever its
 * locale, and no run pays for loading ICU's collation data (about 5 ms on the first call).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
