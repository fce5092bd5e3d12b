// Patterns in the ignore list: `*` is any run of characters (dots and slashes included, so
// `public.orders*` and `/shop/*/FEATURE_X` both work), `?` one character, the rest literal.

const cache = new Map<string, RegExp>();

export function matchesPattern(pattern: string, value: string): boolean {
  let regex = cache.get(pattern);
  if (!regex) {
    const body = [...pattern]
      .map((char) => {
        if (char === "*") return ".*";
        if (char === "?") return ".";
        return char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    regex = new RegExp(`^${body}$`, "s");
    cache.set(pattern, regex);
  }
  return regex.test(value);
}
