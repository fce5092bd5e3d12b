import { ParityInputError } from "../../../../core/errors.ts";
import type { ConfigKey } from "../types.ts";

/** Sorts by key and rejects two source names that strip to the same key (they would hide each other). */
export function toKeySet(keys: ConfigKey[], location: string): ConfigKey[] {
  const byKey = new Map<string, ConfigKey>();
  const problems: string[] = [];
  for (const key of keys) {
    const seen = byKey.get(key.key);
    if (seen !== undefined && seen.name !== key.name) {
      problems.push(`${location}: "${seen.name}" and "${key.name}" both become key "${key.key}"`);
    }
    byKey.set(key.key, key);
  }
  if (problems.length > 0) throw new ParityInputError(`Ambiguous config keys in ${location}`, problems);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
