// What the audit/* rules (about the ignore list itself) see: the list, and what it did in this run.
import type { IgnoreEntry } from "../../parity-config/types.ts";

export interface IgnoreListContext {
  entries: readonly IgnoreEntry[];
  /** Entries that hid at least one finding in this run. */
  used: ReadonlySet<IgnoreEntry>;
  /** Today, for `until`. */
  now: Date;
  /** Environments audited in this run: entries only for others are not called unused. */
  environments: readonly string[];
}
